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
    # "Possible" (right length for its country) rather than "valid": numbers from
    # Ofcom's drama ranges (07700 900xxx) and newly issued ranges must still be kept.
    if (
        phonenumbers.is_possible_number_with_reason(number)
        != phonenumbers.ValidationResult.IS_POSSIBLE
    ):
        raise InvalidValue(
            "Enter a phone number with the right number of digits, like 07700 900123"
        )
    if not _keeps_every_digit(text, number):
        raise InvalidValue(
            "Enter the phone number with every digit, like 07700 900123 or +33 6 12 34 56 78"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _keeps_every_digit(typed: str, number: phonenumbers.PhoneNumber) -> bool:
    """Whether the number keeps every digit typed apart from the dialling prefixes
    ('00', '+', the country code and a trunk '0' or '(0)'): a number that lost digits
    in parsing would be stored as a different, valid-looking number."""
    digits = re.sub(r"\D", "", typed)
    national = phonenumbers.national_significant_number(number)
    country = str(number.country_code)
    prefixes = {"", "0", country, f"{country}0", f"00{country}", f"00{country}0"}
    return digits.endswith(national) and digits[: len(digits) - len(national)] in prefixes


def phone_display(value: str) -> str:
    """UK numbers in national format ('07700 900123'), every other in international
    format ('+33 6 12 34 56 78'), so that no country code is lost on the page. A value
    saved before numbers were stored as E.164 is shown as it was typed."""
    if not value or not value.startswith("+"):
        return value or ""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return value
    uk = number.country_code == 44
    return phonenumbers.format_number(
        number,
        phonenumbers.PhoneNumberFormat.NATIONAL
        if uk
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    )


def postcode(raw: str) -> str:
    """'sw1a1aa' and ' SW1A  1AA ' give 'SW1A 1AA'."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    if not compact:
        return ""
    match = _POSTCODE.match(compact)
    if not match:
        raise InvalidValue("Enter a full UK postcode, like LS1 4AP")
    return f"{match.group(1)} {match.group(2)}"


def nhs_number(raw: str) -> str:
    """'943 476 5919' and '943-476-5919' give '9434765919'; refused unless it has ten
    digits whose last is the modulus 11 check digit (NHS Data Dictionary, "NHS
    Number"): weights 10 down to 2 on the first nine, 11 minus the remainder, 11 means
    0, and 10 means the number is not a valid NHS number."""
    compact = re.sub(r"[\s-]+", "", raw or "")
    if not compact:
        return ""
    if not re.fullmatch(r"[0-9]{10}", compact):
        raise InvalidValue("Enter an NHS number with 10 digits, like 943 476 5919")
    total = sum(int(d) * w for d, w in zip(compact[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(compact[9]):
        raise InvalidValue("Check the NHS number: its last digit does not match the others")
    return compact


def nhs_number_display(value: str) -> str:
    """'9434765919' shown as the NHS writes it: '943 476 5919'."""
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value


def vehicle_registration(raw: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (raw or "").upper())


# Latin letters that Unicode does not decompose into a base letter and an accent, so
# that NFKD alone would drop them: spelled as people write the name without them
# (Łukasz as Lukasz, Øre as Ore, Þór as Thor). ß already case-folds to "ss".
_TRANSLITERATE = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Ð": "D",
        "ð": "d",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "TH",
        "þ": "th",
        "ẞ": "SS",
        "ß": "ss",
        "ı": "i",
        "Ħ": "H",
        "ħ": "h",
        "Ŧ": "T",
        "ŧ": "t",
        "Ŋ": "NG",
        "ŋ": "ng",
        "ĸ": "k",
        "ſ": "s",
    }
)


def fold(text: str) -> str:
    """Case, accents, hyphens, apostrophes and spacing removed: 'Zoë O'Neil-Smith'
    and 'zoe oneil smith' fold to the same 'zoeoneilsmith', and 'Łukasz' and
    'Lukasz' to 'lukasz'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_TRANSLITERATE))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", ascii_only.casefold())


def match_name(first_name: str, last_name: str) -> str:
    return f"{fold(first_name)}|{fold(last_name)}" if (first_name or last_name) else ""


_NUMBERED_STREET = re.compile(r"^\d+[a-z]?\s+\D", re.IGNORECASE)


def address_first_line(text: str) -> str:
    """The first line of an address typed on one line or several: up to and including
    the numbered street, so that '12 Acacia Avenue, Testtown', '12, Acacia Avenue' and
    'Flat 3, 12 Acacia Avenue' keep the flat and the street but drop the town."""
    parts = [p.strip() for p in re.split(r"[,\n]", text or "") if p.strip()]
    for end, part in enumerate(parts):
        if _NUMBERED_STREET.match(part):
            return " ".join(parts[: end + 1])
        if part.isdigit() and end + 1 < len(parts):
            return " ".join(parts[: end + 2])
    return parts[0] if parts else ""


def address_key(line_1: str, code: str) -> str:
    """Postcode plus first line, folded: '12 Acacia Avenue' and '12, acacia avenue.' match."""
    if not (line_1 and code):
        return ""
    compact_code = re.sub(r"\s+", "", code).upper()
    return f"{compact_code}|{fold(address_first_line(line_1))}"


def known_as_names(known_as: str) -> list[str]:
    """The names in a known-as field: 'JJ, Jay / Little J' gives three."""
    return [n.strip() for n in re.split(r"[,;/\n]|\bor\b", known_as or "") if n.strip()]


def person_keys(first_name: str, last_name: str, known_as: str, date_of_birth) -> list[str]:
    """'first|last|YYYY-MM-DD' for the name and for each known-as name (a single word
    is a first name with the same surname; several words are a first and last name)."""
    if not date_of_birth or not (first_name or last_name):
        return []
    names = [(first_name, last_name)]
    for alias in known_as_names(known_as):
        words = alias.split()
        names.append((words[0], last_name))
        if len(words) > 1:
            names.append((words[0], words[-1]))
    keys = [f"{match_name(first, last)}|{date_of_birth.isoformat()}" for first, last in names]
    return list(dict.fromkeys(k for k in keys if not k.startswith("|")))


def handle(raw: str) -> str:
    """'@Zoe_Test ' and 'zoe_test' give 'zoe_test': lower case, no leading @, no spaces."""
    return re.sub(r"\s+", "", raw or "").lstrip("@").lower()


def handle_key(platform: str, raw: str) -> str:
    value = handle(raw)
    return f"{platform or 'other'}:{value}" if value else ""
