"""The console's own words in Portuguese and English, and labels for intake fields and codes.

Caseworkers read the case card in their own language whatever language the person used, so
record fields and outcome codes are labelled here (pt and en); the transcript stays as written.
An unknown key or code falls back to itself made readable, never to an error.
"""

from __future__ import annotations

import re
from typing import Any

from babel import Locale, UnknownLocaleError

from dialogs.places import DISTRICTS
from dialogs.screening import BY_SMS

__all__ = ["AUDITED", "LANGUAGES", "action_label", "channel_name", "code_label", "country_name", "field_label",
           "field_value", "language_name", "reason_label", "refusal", "t", "value_label"]

COUNTRY_FIELDS = ("nationality", "destination_country")

LANGUAGES = ("pt", "en")

# (English, Portuguese)
_UI: dict[str, tuple[str, str]] = {
    "title": ("Caseworker console", "Consola de técnicos"),
    "login": ("Sign in", "Entrar"),
    "logout": ("Sign out", "Sair"),
    "email": ("Email", "Email"),
    "password": ("Password", "Palavra-passe"),
    "bad_login": ("Wrong email or password.", "Email ou palavra-passe errados."),
    "login_wait": ("Too many wrong passwords from this connection. Wait a little, then try again.",
                   "Demasiadas palavras-passe erradas a partir desta ligação. Aguarde um pouco e "
                   "tente de novo."),
    "queue": ("Queue", "Fila"),
    "mine": ("My cases", "Os meus casos"),
    "claimed_all": ("Claimed by others", "Com outros técnicos"),
    "empty": ("Nothing here.", "Nada aqui."),
    "claim": ("Claim", "Assumir"),
    "claim_next": ("Claim next case", "Assumir próximo caso"),
    "release": ("Release", "Devolver à fila"),
    "close": ("Close case", "Encerrar caso"),
    "outcome": ("Outcome", "Resultado"),
    "reply": ("Send", "Enviar"),
    "reply_to": ("Reply to the person", "Responder à pessoa"),
    "template": ("Standard message (sent in the person's language)",
                 "Mensagem padrão (enviada na língua da pessoa)"),
    "no_template": ("— write my own —", "— escrever a minha —"),
    "note": ("Internal note", "Nota interna"),
    "add_note": ("Add note", "Adicionar nota"),
    "notes": ("Notes", "Notas"),
    "transcript": ("Conversation (as written)", "Conversa (tal como escrita)"),
    "record": ("Intake record", "Registo da triagem"),
    "channel": ("Channel", "Canal"),
    "language": ("Language", "Língua"),
    "priority": ("Priority", "Prioridade"),
    "programme": ("Programme", "Programa"),
    "eligibility": ("Eligibility", "Elegibilidade"),
    "reasons": ("Reasons", "Motivos"),
    "waiting": ("Waiting", "Em espera"),
    "sla": ("Reply due", "Resposta até"),
    "breached": ("SLA breached", "Prazo ultrapassado"),
    "paused": ("paused, office closed", "em pausa, escritório fechado"),
    "assignee": ("Caseworker", "Técnico"),
    "status": ("Status", "Estado"),
    "segments": ("SMS segments", "Segmentos SMS"),
    "blocked": ("Cannot send", "Não é possível enviar"),
    "reassign": ("Reassign to", "Reatribuir a"),
    "person": ("Person", "Pessoa"),
    "bot": ("Bot", "Bot"),
    "caseworker": ("Caseworker", "Técnico"),
    "back": ("Back to the queue", "Voltar à fila"),
    "speaks": ("in your languages", "nas suas línguas"),
    "queued": ("queued", "em fila"),
    "claimed": ("claimed", "assumido"),
    "closed": ("closed", "encerrado"),
    "minutes": ("min", "min"),
    "contact": ("Contact", "Contacto"),
    "call": ("Call", "Ligar"),
    "text": ("Send SMS", "Enviar SMS"),
    "address": ("Address", "Endereço"),
    "masked": ("hidden until you show it", "oculto até o mostrar"),
    "reveal": ("Show address and numbers", "Mostrar endereço e números"),
    "reveal_why": ("Why do you need them? (recorded)", "Porque precisa deles? (fica registado)"),
    "reveal_note": ("In a few words (required for other)", "Em poucas palavras (obrigatório para outro)"),
    "revealed": ("Shown to you", "Mostrado a si"),
    "revealed_until": ("hidden again at", "volta a ficar oculto às"),
    "audit": ("Audit log", "Registo de auditoria"),
    "audit_intro": ("Who did what, newest first (the latest 500 entries).",
                    "Quem fez o quê, do mais recente para o mais antigo (as últimas 500 entradas)."),
    "when": ("When", "Quando"),
    "who": ("Who", "Quem"),
    "action": ("Action", "Ação"),
    "case": ("Case", "Caso"),
    "detail": ("Detail", "Detalhe"),
    "filter": ("Filter", "Filtrar"),
    "anyone": ("anyone", "qualquer pessoa"),
    "any_action": ("any action", "qualquer ação"),
    "system": ("system", "sistema"),
    "only_supervisors_audit": ("Only supervisors read the audit log.",
                               "Só os supervisores leem o registo de auditoria."),
    "cases": ("Cases", "Casos"),
    "overview": ("At a glance", "Resumo"),
    "open_cases": ("Open cases", "Casos abertos"),
    "late_cases": ("past their reply time", "com o prazo de resposta ultrapassado"),
    "holders": ("Who holds what", "Quem tem o quê"),
    "nobody_holds": ("Nobody holds a case.", "Ninguém tem casos."),
    "oldest_held": ("oldest held for", "o mais antigo há"),
    "search": ("Case number or pseudonym", "Número do caso ou pseudónimo"),
    "open": ("open", "abertos"),
    "any_language": ("any language", "qualquer língua"),
    "any_channel": ("any channel", "qualquer canal"),
    "any_priority": ("any priority", "qualquer prioridade"),
    "clear": ("Clear", "Limpar"),
    "closed_cases": ("Closed cases", "Casos encerrados"),
    "found": ("Found", "Encontrados"),
    "unread": ("new message", "mensagem nova"),
    "last_activity": ("last activity", "última atividade"),
    "due": ("reply by", "responder até"),
    "follows": ("follows case", "continua o caso"),
    "queue_changed": ("The queue changed.", "A fila mudou."),
    "new_message": ("New message from the person.", "Nova mensagem da pessoa."),
    "insert_template": ("Insert a standard message (written in the person's language)",
                        "Inserir uma mensagem padrão (escrita na língua da pessoa)"),
    "choose_template": ("— choose one —", "— escolha uma —"),
    "send_hint": ("Ctrl+Enter sends.", "Ctrl+Enter envia."),
    "no_segments": ("not charged per message on this channel", "sem custo por mensagem neste canal"),
    "close_title": ("Close this case", "Encerrar este caso"),
    "close_intro": ("The person goes back to the bot. If they write again within {days} days, the "
                    "case reopens for the team.",
                    "A pessoa volta ao bot. Se voltar a escrever nos próximos {days} dias, o caso "
                    "reabre para a equipa."),
    "choose_outcome": ("— choose the outcome —", "— escolha o resultado —"),
    "unanswered": ("The person's last message has no answer yet.",
                   "A última mensagem da pessoa ainda não tem resposta."),
    "close_anyway": ("Close it without answering", "Encerrar sem responder"),
    "confirm_close": ("Confirm: close the case", "Confirmar: encerrar o caso"),
    "translate": ("Translate", "Traduzir"),
    "machine_translation": ("Machine translation", "Tradução automática"),
    "translation_failed": ("The translation is not available now.", "A tradução não está disponível agora."),
    "msg_queued": ("waiting to go", "à espera de envio"),
    "msg_sending": ("sending", "a enviar"),
    "msg_sent": ("sent", "enviada"),
    "msg_delivered": ("delivered", "entregue"),
    "msg_read": ("read", "lida"),
    "msg_failed": ("not delivered", "não entregue"),
    "msg_undelivered": ("not delivered", "não entregue"),
    "msg_cancelled": ("cancelled", "cancelada"),
    "role_caseworker": ("caseworker", "técnico"),
    "role_supervisor": ("supervisor", "supervisor"),
    "role_admin": ("administrator", "administrador"),
    "channel_webchat": ("web chat", "chat no site"),
    "channel_sms": ("SMS", "SMS"),
    "channel_whatsapp": ("WhatsApp", "WhatsApp"),
    "channel_telegram": ("Telegram", "Telegram"),
    # the Reports page (handoff.stats)
    "reports": ("Reports", "Relatórios"),
    "reports_intro": ("Anonymised figures per calendar month or week. A figure under {k} is withheld "
                      "(—), and so are enough others that it cannot be worked out from the totals.",
                      "Números anónimos por mês ou semana do calendário. Um número abaixo de {k} é "
                      "omitido (—), e também outros suficientes para que não se possa deduzir dos totais."),
    "only_supervisors_reports": ("Only supervisors see the reports.", "Só os supervisores veem os relatórios."),
    "stats_from": ("From", "De"),
    "stats_to": ("To", "Até"),
    "stats_by": ("By", "Por"),
    "stats_month": ("month", "mês"),
    "stats_week": ("week", "semana"),
    "stats_show": ("Show", "Mostrar"),
    "stats_period": ("Period", "Período"),
    "stats_total": ("Total", "Total"),
    "stats_all": ("Whole range", "Todo o período"),
    "stats_withheld": ("withheld", "omitido"),
    "stats_partial": ("so far", "até agora"),
    "stats_table": ("The figures", "Os números"),
    "stats_volume": ("Conversations, screenings and cases", "Conversas, triagens e casos"),
    "stats_languages": ("Conversations by language", "Conversas por língua"),
    "stats_channels": ("Conversations by channel", "Conversas por canal"),
    "stats_outcomes": ("Screenings by programme", "Triagens por programa"),
    "stats_sla": ("First caseworker reply against the reply time", "Primeira resposta face ao prazo"),
    "stats_conversations": ("Conversations", "Conversas"),
    "stats_screenings": ("Completed screenings", "Triagens concluídas"),
    "stats_cases_opened": ("Cases opened", "Casos abertos"),
    "stats_more": ("More figures", "Mais números"),
    "stats_nothing_shown": ("Every figure here is withheld", "Todos os números aqui são omitidos"),
    "stats_unknown": ("not known", "desconhecido"),
    "stats_yes": ("yes", "sim"),
    "stats_no": ("no", "não"),
    "stats_sla_met": ("answered in time", "respondido a tempo"),
    "stats_sla_late": ("answered late", "respondido com atraso"),
    "stats_sla_overdue": ("no answer, past its time", "sem resposta, fora do prazo"),
    "stats_sla_waiting": ("no answer yet, in time", "ainda sem resposta, no prazo"),
    "stats_region_northern_africa": ("Northern Africa", "Norte de África"),
    "stats_region_western_africa": ("Western Africa", "África Ocidental"),
    "stats_region_middle_africa": ("Middle Africa", "África Central"),
    "stats_region_eastern_africa": ("Eastern Africa", "África Oriental"),
    "stats_region_southern_africa": ("Southern Africa", "África Austral"),
    "stats_region_latin_america": ("Latin America and the Caribbean", "América Latina e Caraíbas"),
    "stats_region_northern_america": ("Northern America", "América do Norte"),
    "stats_region_central_asia": ("Central Asia", "Ásia Central"),
    "stats_region_eastern_asia": ("Eastern Asia", "Ásia Oriental"),
    "stats_region_south_eastern_asia": ("South-eastern Asia", "Sudeste Asiático"),
    "stats_region_southern_asia": ("Southern Asia", "Ásia do Sul"),
    "stats_region_western_asia": ("Western Asia", "Ásia Ocidental"),
    "stats_region_eastern_europe": ("Eastern Europe", "Europa de Leste"),
    "stats_region_northern_western_europe": ("Northern and Western Europe", "Europa do Norte e Ocidental"),
    "stats_region_southern_europe": ("Southern Europe", "Europa do Sul"),
    "stats_region_oceania": ("Oceania", "Oceânia"),
    "stats_region_other": ("Other countries", "Outros países"),
}

# What the audit log records (handoff.queue.audit, handoff.reveal), for the audit page.
_ACTIONS: dict[str, tuple[str, str]] = {
    "view": ("opened the case card", "abriu a ficha do caso"),
    "read_transcript": ("read the conversation", "leu a conversa"),
    "reveal": ("showed the address", "mostrou o endereço"),
    "list_closed": ("listed closed cases", "listou casos encerrados"),
    "view_conversations": ("looked a person up", "procurou uma pessoa"),
    "view_audit": ("read the audit log", "leu o registo de auditoria"),
    "claim": ("claimed", "assumiu"),
    "release": ("released", "devolveu à fila"),
    "auto_release": ("returned to the queue (idle)", "voltou à fila (inativo)"),
    "reassign": ("reassigned", "reatribuiu"),
    "reply": ("replied", "respondeu"),
    "note": ("added a note", "adicionou uma nota"),
    "close": ("closed", "encerrou"),
    "export": ("exported", "exportou"),
    "erase": ("erased the person's data", "apagou os dados da pessoa"),
    "open": ("case opened", "caso aberto"),
    "follow_up": ("reopened: the person wrote again", "reaberto: a pessoa voltou a escrever"),
    "escalate": ("raised the priority (reply overdue)", "subiu a prioridade (resposta em atraso)"),
    "login": ("signed in", "entrou"),
    "login_failed": ("wrong password", "palavra-passe errada"),
    "login_locked": ("account locked after wrong passwords", "conta bloqueada após palavras-passe erradas"),
    "token_create": ("created an API token", "criou um token da API"),
    "token_revoke": ("revoked an API token", "revogou um token da API"),
}

AUDITED = tuple(_ACTIONS)

# Why an address was shown (handoff.reveal.REASONS).
_REASONS: dict[str, tuple[str, str]] = {
    "contact_person": ("to contact the person as they asked", "para contactar a pessoa como pediu"),
    "safety": ("a safety concern", "uma preocupação de segurança"),
    "referral": ("to refer the person, with their agreement", "para encaminhar a pessoa, com o seu acordo"),
    "identity": ("to confirm who is writing", "para confirmar quem está a escrever"),
    "other": ("other", "outro"),
}

_FIELDS: dict[str, tuple[str, str]] = {
    "language": ("Language", "Língua"),
    "consent": ("Consent", "Consentimento"),
    "in_danger_now": ("In danger now", "Em perigo agora"),
    "in_portugal": ("In Portugal", "Em Portugal"),
    "district": ("District", "Distrito"),
    "nationality": ("Nationality", "Nacionalidade"),
    "eu_family_member": ("Family member of an EU citizen", "Familiar de cidadão da UE"),
    "wants_to_return": ("Wants to return", "Quer regressar"),
    "fears_return": ("Fears return", "Receia regressar"),
    "destination_country": ("Destination country", "País de destino"),
    "household_size": ("Household size", "Agregado familiar"),
    "minors_count": ("Minors", "Menores"),
    "is_minor_alone": ("Unaccompanied minor", "Menor desacompanhado"),
    "travel_document": ("Travel document", "Documento de viagem"),
    "previous_return_assistance": ("Previous return assistance", "Apoio ao regresso anterior"),
    "returned_with_arvore": ("Already returned with ARVoRe", "Já regressou com o ARVoRe"),
    "legal_impediment": ("Legal impediment", "Impedimento legal"),
    "trafficking_indicators": ("Trafficking indicators", "Indicadores de tráfico"),
    "vulnerabilities": ("Vulnerabilities", "Vulnerabilidades"),
    "contact_preference": ("Contact preference", "Preferência de contacto"),
    "contact_phone": ("Phone number to use", "Número a usar"),
    "declined": ("Preferred not to say", "Preferiu não dizer"),
    "unanswered": ("Not understood", "Não compreendido"),
}

_CODES: dict[str, tuple[str, str]] = {
    "yes": ("yes", "sim"), "no": ("no", "não"), "unsure": ("unsure", "indeciso"),
    "unknown": ("unknown", "desconhecido"), "true": ("yes", "sim"), "false": ("no", "não"),
    "urgent": ("urgent", "urgente"), "high": ("high", "alta"), "normal": ("normal", "normal"),
    "low": ("low", "baixa"),
    "arvore": ("ARVoRe (assisted voluntary return)", "ARVoRe (retorno voluntário assistido)"),
    "eu_trafficking_fund": ("EU trafficking emergency fund", "Fundo de emergência UE (tráfico)"),
    "trafficking_support": ("Trafficking victim support", "Apoio a vítimas de tráfico"),
    "asylum_info": ("Asylum information", "Informação sobre asilo"),
    "referral": ("Referral", "Encaminhamento"), "out_of_scope": ("Out of scope", "Fora do âmbito"),
    "likely_eligible": ("likely eligible", "provavelmente elegível"),
    "not_eligible": ("not eligible", "não elegível"), "needs_review": ("needs review", "a rever"),
    "valid_passport": ("valid passport", "passaporte válido"),
    "expired_passport": ("expired passport", "passaporte caducado"), "none": ("none", "nenhum"),
    "in_danger": ("in danger", "em perigo"), "minor_alone": ("unaccompanied minor", "menor desacompanhado"),
    "trafficking_indicators": ("trafficking indicators", "indicadores de tráfico"),
    "vulnerable": ("vulnerable", "vulnerável"),
    "minors_in_household": ("minors in the household", "menores no agregado"),
    "documents_withheld": ("documents withheld", "documentos retidos"),
    "unpaid_wages": ("unpaid wages", "salários em atraso"), "debt": ("debt", "dívida"),
    "movement_restricted": ("movement restricted", "liberdade restringida"),
    "threats_or_violence": ("threats or violence", "ameaças ou violência"),
    "deceived_about_work": ("deceived about work", "enganado sobre o trabalho"),
    "forced_activity": ("forced activity", "atividade forçada"),
    "exploitation_reported": ("said yes to exploitation, details not given",
                              "respondeu sim sobre exploração, sem detalhes"),
    "fears_return_unknown": ("does not know if they fear return", "não sabe se receia regressar"),
    "return_not_advised": ("return not advised there (return-safety list)",
                           "regresso desaconselhado (lista de segurança do regresso)"),
    "return_region_not_advised": ("return to part of this country not advised: ask where to",
                                  "regresso desaconselhado a parte do país: perguntar para onde"),
    "eu_family_member": ("family member of an EU citizen: check if it excludes",
                         "familiar de cidadão da UE: verificar se exclui"),
    "previous_assistance": ("had earlier help from IOM, not a return with ARVoRe: check",
                            "teve apoio anterior da OIM, não um regresso com o ARVoRe: verificar"),
    "previous_beneficiary": ("already returned home with ARVoRe", "já regressou com o ARVoRe"),
    "arvore_possible": ("ARVoRe possible if they decide to return",
                        "ARVoRe possível se decidir regressar"),
    "does_not_want_return": ("does not want to return", "não quer regressar"),
    "undecided": ("undecided about returning", "indeciso sobre regressar"),
    "eu_national": ("EU national", "nacional da UE"),
    "eu_family_unknown": ("does not know if family of an EU citizen",
                          "não sabe se é familiar de cidadão da UE"),
    "legal_impediment": ("case with police or court that may stop departure",
                         "processo na polícia ou tribunal que pode impedir a saída"),
    "legal_impediment_unknown": ("legal impediment unknown", "impedimento legal desconhecido"),
    "nationality_unknown": ("nationality unknown", "nacionalidade desconhecida"),
    "not_in_portugal": ("not in Portugal", "fora de Portugal"),
    "previous_assistance_unknown": ("earlier return help unknown",
                                    "apoio ao regresso anterior desconhecido"),
    "third_country_national": ("third-country national", "nacional de país terceiro"),
    "pregnant": ("pregnant", "grávida"), "medical": ("medical needs", "necessidades médicas"),
    "disability": ("disability", "deficiência"), "elderly": ("elderly", "idoso"),
    "homeless": ("homeless", "sem abrigo"), "domestic_violence": ("domestic violence", "violência doméstica"),
    "wants_to_return": ("wants to return", "quer regressar"), "fears_return": ("fears return", "receia regressar"),
    "asked_for_person": ("asked for a person", "pediu uma pessoa"),
    "follow_up": ("wrote again after the case closed", "voltou a escrever depois de o caso fechar"),
    "held_by_other": ("someone else keeps it", "retido por outra pessoa"),
    "this_chat": ("in this chat", "nesta conversa"), "phone_call": ("phone call", "chamada"),
    BY_SMS: ("SMS", "SMS"), "in_person": ("in person", "presencialmente"),
    "this_number": ("the number they write from", "o número de onde escreve"),
    # How a caseworker closed a case (handoff.queue.OUTCOMES).
    "referred_arvore": ("referred to ARVoRe (assisted return)", "encaminhado para o ARVoRe (retorno assistido)"),
    "referred_eu_trafficking_fund": ("referred to the EU trafficking emergency fund",
                                     "encaminhado para o fundo de emergência UE (tráfico)"),
    "referred_trafficking_support": ("referred to trafficking victim support",
                                     "encaminhado para o apoio a vítimas de tráfico"),
    "referred_asylum": ("referred for asylum", "encaminhado para asilo"),
    "referred_other": ("referred to another organisation", "encaminhado para outra organização"),
    "information_given": ("information given", "informação prestada"),
    "no_response": ("the person stopped answering", "a pessoa deixou de responder"),
    "duplicate": ("duplicate of another case", "duplicado de outro caso"),
    "withdrawn": ("withdrawn by the person", "desistência da pessoa"),
}

# The console's refusals (HandoffError.detail, in English for the API), said in Portuguese:
# a pattern over the English detail, and the words with its groups.
_REFUSALS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), pt) for p, pt in (
    (r"^case (\d+) does not exist$", "O caso {0} não existe."),
    (r"^case (\d+) is in the queue: claim it to read it$", "O caso {0} está na fila: assuma-o para o ler."),
    (r"^case (\d+) is with (.+)$", "O caso {0} está com {1}."),
    (r"^case (\d+) is \w+: only those who held it and supervisors read it$",
     "O caso {0} só pode ser lido por quem o teve e pelos supervisores."),
    (r"^case (\d+) is (\w+), not queued$", "O caso {0} já não está na fila."),
    (r"^case (\d+) is closed$", "O caso {0} está encerrado."),
    (r"^claim case (\d+) before you .+$", "Assuma o caso {0} primeiro."),
    (r"^case (\d+) is claimed by another caseworker$", "O caso {0} está com outro técnico."),
    (r"^only supervisors reassign cases$", "Só os supervisores reatribuem casos."),
    (r"^(.+) is not an active caseworker$", "{0} não é um técnico ativo."),
    (r"^choose a caseworker$", "Escolha um técnico."),
    (r"^a note needs text$", "Uma nota precisa de texto."),
    (r"^a note can be at most (\d+) characters$", "Uma nota tem no máximo {0} caracteres."),
    (r"^outcome must be one of: .+$", "Escolha o resultado."),
    (r"^a reply needs text or a template$", "Escreva a resposta."),
    (r"^a reply can be at most (\d+) characters$", "Uma resposta tem no máximo {0} caracteres."),
    (r"^the person cannot receive messages now$", "A pessoa não pode receber mensagens agora."),
    (r"^the person opted out \(STOP\).*$",
     "A pessoa pediu para não receber mensagens (STOP): nada pode ser enviado até voltar a escrever."),
    (r"^the person erased their data.*$", "A pessoa apagou os seus dados: nada pode ser enviado."),
    (r"^the (\w+) (\d+)-hour window is closed.*$",
     "A janela de {1} horas do {0} fechou: a pessoa escreveu há mais de {1} horas, por isso o "
     "{0} só aceita um modelo aprovado até voltar a escrever."),
    (r"^reason must be one of: .+$", "Escolha porque precisa do endereço."),
    (r"^say why in a note when the reason is other$", "Diga porquê numa nota quando o motivo é outro."),
    (r"^a note is (\d+) characters at most$", "A nota tem no máximo {0} caracteres."),
    (r"^the person's last message has no answer.*$",
     "A última mensagem da pessoa ainda não tem resposta: marque \"Encerrar sem responder\" para encerrar."),
    (r"^a reply is a template or your own text, not both.*$",
     "Uma resposta é um modelo ou o seu texto, não os dois."),
))


def refusal(detail: str, lang: str) -> str:
    """A refusal in the caseworker's language (the API keeps its English detail)."""
    if lang != "pt":
        return detail
    for pattern, words in _REFUSALS:
        found = pattern.match(detail)
        if found is not None:
            return words.format(*found.groups())
    return detail


def language_name(code: str | None, lang: str) -> str:
    """A locale code (pt_BR, zh_Hans) as its name in the caseworker's language."""
    if not code:
        return "—"
    try:
        name = Locale.parse(code).get_display_name(lang) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def country_name(code: str, lang: str) -> str:
    return Locale.parse(lang).territories.get(code.upper(), code)


def channel_name(name: str, lang: str) -> str:
    return t(f"channel_{name}", lang) if f"channel_{name}" in _UI else name


def field_value(name: str, value: Any, lang: str) -> str:
    """A record value as the caseworker reads it: countries and districts by name."""
    if isinstance(value, str) and name in COUNTRY_FIELDS and len(value) == 2 and value.isalpha():
        return country_name(value, lang)
    if isinstance(value, str) and name == "district" and value in DISTRICTS:
        return DISTRICTS[value].split("|")[0]
    if isinstance(value, str) and name == "language":
        return language_name(value, lang)
    return value_label(value, lang)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "pt" else pair[0]


def t(key: str, lang: str) -> str:
    pair = _UI.get(key)
    return _pick(pair, lang) if pair else key


def field_label(name: str, lang: str) -> str:
    pair = _FIELDS.get(name)
    return _pick(pair, lang) if pair else name.replace("_", " ")


def code_label(code: str, lang: str) -> str:
    pair = _CODES.get(code)
    return _pick(pair, lang) if pair else code.replace("_", " ")


def action_label(action: str, lang: str) -> str:
    pair = _ACTIONS.get(action)
    return _pick(pair, lang) if pair else action.replace("_", " ")


def reason_label(reason: str, lang: str) -> str:
    pair = _REASONS.get(reason)
    return _pick(pair, lang) if pair else reason.replace("_", " ")


def value_label(value: Any, lang: str) -> str:
    """A record value made readable: codes labelled, lists joined, booleans as yes/no."""
    if isinstance(value, bool):
        return code_label("true" if value else "false", lang)
    if isinstance(value, list):
        return ", ".join(value_label(v, lang) for v in value) or "—"
    if isinstance(value, dict):
        inner = value.get("value", value.get("given"))
        return value_label(inner, lang) if inner is not None else ", ".join(f"{k}: {v}" for k, v in value.items())
    if value is None:
        return "—"
    return code_label(str(value), lang) if isinstance(value, str) else str(value)
