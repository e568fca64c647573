"""What a partner receives: the referral as plain text (the e-mail's body, the webhook's
fields) and as a one-page PDF sheet for partners who take paper, in Portuguese.

Only the chosen fields, the purpose, the reference and how consent was given; never the
transcript, never the person's pseudonym or case number (they mean nothing outside).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fpdf import FPDF

from handoff.referrals.fields import field_name, purpose_name

__all__ = ["Letter", "pdf", "text", "withdrawal_text"]


@dataclass(frozen=True)
class Letter:
    reference: str
    partner_name: str
    purpose: str
    fields: tuple[str, ...]
    values: dict[str, str]
    consent_method: str
    consent_at: datetime | None
    notice_version: str
    operator: str
    created_at: datetime

    def rows(self) -> list[tuple[str, str]]:
        return [(field_name(code, "pt"), self.values.get(code, "—")) for code in self.fields]

    def payload(self) -> dict[str, Any]:
        return {"type": "referral", "reference": self.reference, "purpose": self.purpose,
                "fields": {code: self.values.get(code) for code in self.fields},
                "consent": {"method": self.consent_method, "notice_version": self.notice_version,
                            "given_at": self.consent_at.isoformat() if self.consent_at else None},
                "created_at": self.created_at.isoformat()}


def _consent_words(letter: Letter) -> str:
    how = "por mensagem escrita" if letter.consent_method == "message" else "por telefone, registado por técnico"
    when = letter.consent_at.strftime("%d/%m/%Y") if letter.consent_at else "—"
    return f"Consentimento da pessoa para esta partilha: dado {how}, em {when} (versão {letter.notice_version})."


def text(letter: Letter) -> str:
    lines = [
        f"Encaminhamento {letter.reference}",
        "",
        f"Para: {letter.partner_name}",
        f"De: {letter.operator}",
        f"Motivo: {purpose_name(letter.purpose, 'pt')}",
        "",
        "Dados partilhados (apenas os indicados; nada mais foi partilhado):",
        *[f"- {name}: {value}" for name, value in letter.rows()],
        "",
        _consent_words(letter),
        "A pessoa pode retirar este consentimento a qualquer momento; nesse caso pedimos que apaguem estes dados.",
        "",
        f"Para responder, indiquem a referência {letter.reference}.",
    ]
    return "\n".join(lines)


def withdrawal_text(reference: str, partner_name: str, operator: str) -> str:
    return "\n".join([
        f"Encaminhamento {reference}: consentimento retirado",
        "",
        f"Para: {partner_name}",
        f"De: {operator}",
        "",
        f"A pessoa referida no encaminhamento {reference} retirou o seu consentimento para a partilha "
        "dos seus dados. Pedimos que apaguem os dados recebidos com esta referência e que não a "
        "contactem com base neles.",
    ])


def _latin(value: str) -> str:
    """The PDF's core fonts hold Latin-1: Portuguese fits; anything else is transliterated
    where Unicode can decompose it, or replaced, never dropped silently."""
    out = []
    for ch in value:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base or {"–": "-", "—": "-", "•": "*", "’": "'"}.get(ch, "?"))
    return "".join(out)


def pdf(letter: Letter) -> bytes:
    doc = FPDF(format="A4")
    doc.set_title(_latin(f"Encaminhamento {letter.reference}"))
    doc.set_creator(_latin(letter.operator))
    doc.add_page()
    doc.set_font("Helvetica", "B", 16)
    doc.cell(0, 10, _latin(f"Encaminhamento {letter.reference}"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 11)
    for label, value in (("Para", letter.partner_name), ("De", letter.operator),
                         ("Motivo", purpose_name(letter.purpose, "pt")),
                         ("Data", letter.created_at.strftime("%d/%m/%Y"))):
        doc.multi_cell(0, 7, _latin(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    doc.set_font("Helvetica", "B", 12)
    doc.cell(0, 8, _latin("Dados partilhados (apenas estes)"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 11)
    for name, value in letter.rows():
        doc.multi_cell(0, 7, _latin(f"{name}: {value}"), new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    doc.multi_cell(0, 6, _latin(_consent_words(letter)), new_x="LMARGIN", new_y="NEXT")
    doc.multi_cell(0, 6, _latin("A pessoa pode retirar este consentimento a qualquer momento; nesse caso "
                                "pedimos que apaguem estes dados."), new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())
