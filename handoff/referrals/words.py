"""The console's words for referrals, in its two languages (English, Portuguese)."""

from __future__ import annotations

__all__ = ["w"]

_WORDS: dict[str, tuple[str, str]] = {
    "referrals": ("Referrals", "Encaminhamentos"),
    "prepare": ("Prepare a referral", "Preparar um encaminhamento"),
    "none_yet": ("No referral yet.", "Ainda sem encaminhamentos."),
    "partner": ("Organisation", "Organização"),
    "purpose": ("Why", "Motivo"),
    "fields": ("What is shared", "O que é partilhado"),
    "fields_hint": ("Nothing is shared unless you tick it. The conversation is never shared.",
                    "Nada é partilhado sem o assinalar. A conversa nunca é partilhada."),
    "status": ("Status", "Estado"),
    "consents": ("The person's agreement", "Consentimento da pessoa"),
    "no_consent": ("No agreement asked yet.", "Ainda não foi pedido consentimento."),
    "preview": ("Show exactly what will be sent", "Mostrar exatamente o que será enviado"),
    "will_send": ("Will be sent to {partner}", "Será enviado a {partner}"),
    "send": ("Send the referral", "Enviar o encaminhamento"),
    "ask_message": ("Ask the person by message", "Perguntar à pessoa por mensagem"),
    "record_phone": ("They agreed by phone: record it", "Concordou por telefone: registar"),
    "phone_note": ("How they agreed (required)", "Como concordou (obrigatório)"),
    "notify": ("Tell the person when it is sent, and to whom",
               "Avisar a pessoa quando for enviado, e a quem"),
    "notify_unsafe": ("Untick when a message could put them at risk.",
                      "Desmarque se uma mensagem os puder pôr em risco."),
    "paper": ("Print it instead (paper)", "Imprimir (em papel)"),
    "sheet": ("Referral sheet (PDF)", "Ficha de encaminhamento (PDF)"),
    "mark_sent": ("Handed over: mark as sent", "Entregue: marcar como enviado"),
    "answer": ("The organisation's answer", "Resposta da organização"),
    "record_answer": ("Record", "Registar"),
    "covered": ("The person agreed to share these details with this organisation.",
                "A pessoa concordou em partilhar estes dados com esta organização."),
    "not_covered": ("The person has not agreed to share exactly this yet.",
                    "A pessoa ainda não concordou em partilhar exatamente isto."),
    "choose": ("Choose…", "Escolher…"),
    "unverified": ("not yet verified", "ainda não verificado"),
    "delivery_email": ("by e-mail", "por e-mail"),
    "delivery_webhook": ("to their system", "para o sistema deles"),
    "delivery_paper": ("on paper", "em papel"),
    "notice_due_paper": ("Consent withdrawn: tell the organisation by hand to delete the data.",
                         "Consentimento retirado: avise a organização para apagar os dados."),
    "notice_given": ("Done: they were told", "Feito: foram avisados"),
    "prepared": ("prepared", "preparado"),
    "sent": ("sent", "enviado"),
    "acknowledged": ("acknowledged", "recebido"),
    "accepted": ("accepted", "aceite"),
    "declined": ("declined", "recusado"),
    "withdrawn": ("withdrawn", "retirado"),
    "asked": ("asked, no answer yet", "pedido, sem resposta"),
    "given": ("agreed", "concordou"),
    "refused": ("refused", "recusou"),
    "superseded": ("replaced by a later question", "substituído por outro pedido"),
    "by_message": ("by message", "por mensagem"),
    "by_phone": ("by phone", "por telefone"),
    "delivery_failed": ("Delivery failed", "A entrega falhou"),
    "delivery_pending": ("waiting to go", "a aguardar envio"),
    "sent_in_full": ("(masked here; sent in full)", "(oculto aqui; enviado por extenso)"),
    "incomplete": ("Choose why, and at least one thing to share, to see what would be sent.",
                   "Escolha o motivo e pelo menos um dado a partilhar para ver o que seria enviado."),
    "claim_to_refer": ("Claim the case to refer the person.", "Atribua o caso a si para encaminhar a pessoa."),
}


def w(key: str, lang: str) -> str:
    pair = _WORDS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "pt" else pair[0]
