"""Referrals: carrying a person, with their agreement, to the organisation that can help.

A partner directory kept as data, consent to refer (separate from consent to store), the
referral itself (only the fields a caseworker chose), its durable delivery by e-mail, webhook
or a printed sheet, and the partner's answer.
"""
