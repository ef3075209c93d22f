"""The Children in Need census code lists this portal records, as data.

Source: DfE, "Children in need census 2025 to 2026: guide for local authorities" (the
common basic data set: N00152 ReferralSource, N00181 AssessmentFactors, N00177
Ethnicity, N00099 Disability), checked against the open-source census validator
data-to-insight/csc-validator-be-cin (cin_validator/rules/cin2022_23): rule 8866 holds
the 22 valid referral sources, rule 8869 says factor "21" (no factors identified) cannot
be combined with another factor, rule 8945Q retires factor 18A (18B/18C instead), rule
8790 says disability NONE cannot be combined, and the ethnicity rule lists the 20 valid
ethnicity codes. The labels follow the DfE guide, which numbers the "individual" sources
1A family member, 1B acquaintance, 1C self, 1D other (the domain notes' paraphrase had
them in another order).

When the DfE changes a list for a new collection year, add the codes here and bump
CIN_CODES_VERSION; never reuse or delete a code that stored referrals may hold (the
returns for earlier years are still read against it)."""

CIN_CODES_VERSION = "2025-26"

# N00152 ReferralSource: who referred the child (validator rule 8866).
SOURCE_OF_REFERRAL = {
    "1A": "Individual: family member, relative or carer",
    "1B": "Individual: acquaintance (including neighbours and child minders)",
    "1C": "Individual: self",
    "1D": "Individual: other (including strangers, MPs)",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health services: GP",
    "3B": "Health services: health visitor",
    "3C": "Health services: school nurse",
    "3D": "Health services: other primary health services",
    "3E": "Health services: A&E (emergency department)",
    "3F": "Health services: other (for example hospice)",
    "4": "Housing (local authority housing or housing association)",
    "5A": "Local authority services: social care (for example adult social care)",
    "5B": "Local authority services: other internal (for example youth offending, "
    "excluding housing)",
    "5C": "Local authority services: external (for example another local authority's "
    "adult social care)",
    "5D": "Early help",
    "6": "Police",
    "7": "Other legal agency (including courts, probation, immigration, CAFCASS, prison)",
    "8": "Other (including children's centres, independent agency providers, voluntary "
    "organisations)",
    "9": "Anonymous",
    "10": "Unknown",
}
SOURCE_UNKNOWN = "10"

# The source a referral starts with, from the referring organisation's kind
# (accounts.Organisation.Kind); triage corrects it with a reason when it is wrong
# (a GP is 3A, not 3F; a council's youth service is 5B, a charity's is 8).
SOURCE_FOR_ORGANISATION_KIND = {
    "school": "2A",
    "police": "6",
    "health": "3F",
    "housing": "4",
    "social_care": "5A",
    "youth_service": "5B",
    "voluntary": "8",
}


def source_for_organisation_kind(kind: str) -> str:
    return SOURCE_FOR_ORGANISATION_KIND.get(kind, SOURCE_UNKNOWN)


# N00181 AssessmentFactors: factors identified at the end of assessment. The portal
# suggests them at the front door; the assessment decides.
FACTORS = {
    "1A": "Alcohol misuse: concerns about the child",
    "1B": "Alcohol misuse: concerns about the parent(s)",
    "1C": "Alcohol misuse: concerns about another person living in the household",
    "2A": "Drug misuse: concerns about the child",
    "2B": "Drug misuse: concerns about the parent(s)",
    "2C": "Drug misuse: concerns about another person living in the household",
    "3A": "Domestic abuse: concerns about the child",
    "3B": "Domestic abuse: concerns about the parent(s)",
    "3C": "Domestic abuse: concerns about another person living in the household",
    "4A": "Mental health: concerns about the child",
    "4B": "Mental health: concerns about the parent(s)",
    "4C": "Mental health: concerns about another person living in the household",
    "5A": "Learning disability: concerns about the child",
    "5B": "Learning disability: concerns about the parent(s)",
    "5C": "Learning disability: concerns about another person living in the household",
    "6A": "Physical disability or illness: concerns about the child",
    "6B": "Physical disability or illness: concerns about the parent(s)",
    "6C": "Physical disability or illness: concerns about another person living in the household",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas children who intend to return",
    "8C": "Privately fostered: overseas children who intend to stay",
    "8D": "Privately fostered: UK children in educational placements",
    "8E": "Privately fostered: UK children making alternative family arrangements",
    "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking children",
    "10A": "Going or being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Abuse or neglect: neglect",
    "17A": "Abuse or neglect: emotional abuse",
    "18B": "Abuse or neglect: physical abuse (adult on child)",
    "18C": "Abuse or neglect: physical abuse (child on child)",
    "19B": "Abuse or neglect: sexual abuse (adult on child)",
    "19C": "Abuse or neglect: sexual abuse (child on child)",
    "20": "Female genital mutilation",
    "21": "No factors identified",
    "22A": "Faith or belief linked abuse",
    "23A": "Child criminal exploitation",
    "24A": "Other",
}
# Rule 8869: "21" must be the only factor when present.
NO_FACTORS = "21"

# The warning signs (indicators.catalogue_seed codes) answered "yes" and the factors
# they suggest. County lines is child criminal exploitation (23A) with drugs; a missing
# child is 10A; found away from home, hotel keys and unexplained goods point to
# exploitation and trafficking (12A, internal trafficking counts). A suggestion only.
FACTORS_SUGGESTED_BY_INDICATOR = {
    "cl-01": ["10A", "23A"],
    "cl-02": ["23A", "12A"],
    "cl-03": ["2A", "23A"],
    "cl-04": ["23A"],
    "cl-05": ["23A"],
    "cl-06": ["23A", "13A"],
    "cl-07": ["14A"],
    "cl-08": ["23A", "11A"],
    "cl-09": ["23A", "13A"],
    "cl-10": ["23A", "12A", "11A"],
    "vu-03": ["10A"],
    "vu-04": ["2A"],
    "vu-05": ["5A"],
    "vu-06": ["4A"],
}


def factors_suggested_by(indicator_codes) -> list[str]:
    """The factors the answered warning signs suggest, once each, in census order."""
    by_indicator = FACTORS_SUGGESTED_BY_INDICATOR
    suggested = {f for code in indicator_codes for f in by_indicator.get(code, [])}
    return [code for code in FACTORS if code in suggested]


def factors_error(codes) -> str:
    """Why a list of factor codes breaks the census rules, or "" when it does not."""
    unknown = [code for code in codes if code not in FACTORS]
    if unknown:
        return f"Unknown factor code: {', '.join(unknown)}"
    if NO_FACTORS in codes and len(set(codes)) > 1:
        return "“No factors identified” cannot be combined with another factor"
    return ""


# N00177 Ethnicity (the ethnicity rule's 20 codes).
ETHNICITY = {
    "WBRI": "White: British",
    "WIRI": "White: Irish",
    "WIRT": "White: Traveller of Irish heritage",
    "WROM": "White: Gypsy or Roma",
    "WOTH": "White: any other White background",
    "MWBC": "Mixed: White and Black Caribbean",
    "MWBA": "Mixed: White and Black African",
    "MWAS": "Mixed: White and Asian",
    "MOTH": "Mixed: any other mixed background",
    "AIND": "Asian or Asian British: Indian",
    "APKN": "Asian or Asian British: Pakistani",
    "ABAN": "Asian or Asian British: Bangladeshi",
    "AOTH": "Asian or Asian British: any other Asian background",
    "BCRB": "Black or Black British: Caribbean",
    "BAFR": "Black or Black British: African",
    "BOTH": "Black or Black British: any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}
ETHNICITY_NOT_OBTAINED = "NOBT"

# N00099 Disability: a list per child; NONE stands alone (rule 8790).
DISABILITY = {
    "NONE": "None",
    "MOB": "Mobility",
    "HAND": "Hand function",
    "PC": "Personal care",
    "INC": "Incontinence",
    "COMM": "Communication",
    "LD": "Learning",
    "HEAR": "Hearing",
    "VIS": "Vision",
    "BEH": "Behaviour",
    "CON": "Consciousness",
    "AUT": "Diagnosed with autism or Asperger syndrome",
    "DDA": "Other disability under the Disability Discrimination Act",
}
NO_DISABILITY = "NONE"


def disability_error(codes) -> str:
    unknown = [code for code in codes if code not in DISABILITY]
    if unknown:
        return f"Unknown disability code: {', '.join(unknown)}"
    if NO_DISABILITY in codes and len(set(codes)) > 1:
        return "“None” cannot be combined with a disability"
    return ""


def choices(codes: dict[str, str]) -> list[tuple[str, str]]:
    """Form choices that show the code beside its label, as the returns do."""
    return [(code, f"{code}: {label}") for code, label in codes.items()]
