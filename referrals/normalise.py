"""Normalising what people type, so that the same phone number, postcode, name or
vehicle written differently is recognised as the same value."""

import re
import unicodedata

import phonenumbers

# UK postcode shape (BS 7666), after removing spaces and upper-casing.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


class InvalidValue(ValueError):
    pass


def phone_e164(raw: str, region: str = "GB") -> str:
    """'07700 900123', '+44 7700 900123' and '447700900123' all give '+447700900123'."""
    text = (raw or "").strip()
    if not text:
        return ""
    digits = re.sub(r"[^\d+]", "", text)
    # A bare international number without '+' (447700900123) is common in copied logs.
    if digits.startswith("44") and not digits.startswith("+") and len(digits) >= 12:
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidValue("Enter a phone number, like 07700 900123 or +44 7700 900123") from exc
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise InvalidValue("Enter a real phone number, like 07700 900123 or +44 7700 900123")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "GB")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def postcode(raw: str) -> str:
    """'sw1a1aa' and ' SW1A  1AA ' give 'SW1A 1AA'."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    if not compact:
        return ""
    match = _POSTCODE.match(compact)
    if not match:
        raise InvalidValue("Enter a full UK postcode, like LS1 4AP")
    return f"{match.group(1)} {match.group(2)}"


def vehicle_registration(raw: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (raw or "").upper())


def fold(text: str) -> str:
    """Case, accents, hyphens, apostrophes and spacing removed: 'Zoë O'Neil-Smith'
    and 'zoe oneil smith' fold to the same 'zoeoneilsmith'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", ascii_only.casefold())


def match_name(first_name: str, last_name: str) -> str:
    return f"{fold(first_name)}|{fold(last_name)}" if (first_name or last_name) else ""


def address_key(line_1: str, code: str) -> str:
    """Postcode plus first line, folded: '12 Acacia Avenue' and '12, acacia avenue.' match."""
    if not (line_1 and code):
        return ""
    return f"{code.replace(' ', '')}|{fold(line_1)}"
