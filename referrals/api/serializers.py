"""What the API reads and writes; the rules of a referral stay in referrals/intake."""

from rest_framework import serializers


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    wording = serializers.CharField()
    group = serializers.CharField()
    audience = serializers.CharField()


class ChecklistSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    indicators = IndicatorSerializer(many=True)


class ReferralStatusSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(
        allow_blank=True, help_text="Once decided, as the referrer sees it."
    )


class AddendumSerializer(serializers.Serializer):
    body = serializers.CharField(help_text="The information to add (the form's one field).")


class AddendumCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    created_at = serializers.DateTimeField()


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="PDF, PNG, JPEG, Word (docx), ODF (odt) or UTF-8 text, the type read "
        "from the content; at most ATTACHMENT_MAX_BYTES (10 MB by default). Never attach "
        "nude or semi-nude images of a child: record that they exist as information instead."
    )


class AttachmentCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.CharField()
    size = serializers.IntegerField()
    state = serializers.CharField(
        help_text="pending until ClamAV has scanned it; nobody can open it before it is clean."
    )
    uploaded_at = serializers.DateTimeField()


# --- Creating a referral. The types only: every rule (required answers, choices, lengths,
# postcode, NHS number, dates) is the form's, in referrals/intake, applied by the service.


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, **kwargs)


def _codes(help_text: str = ""):
    return serializers.ListField(child=serializers.CharField(), required=False, help_text=help_text)


class DangerSerializer(serializers.Serializer):
    immediate_danger = _text(help_text="yes or no")
    police_called = serializers.BooleanField(required=False, allow_null=True)
    police_reference = _text()


class SubjectSerializer(serializers.Serializer):
    subject_type = _text(help_text="child or adult")
    first_name = _text()
    last_name = _text()
    known_as = _text()
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    approximate_age = serializers.IntegerField(required=False, allow_null=True)
    nhs_number = _text()
    sex = _text()
    ethnicity_code = _text()
    ethnicity = _text()
    first_language = _text()
    interpreter_needed = _text(help_text="yes, no or unknown")
    disability_codes = _codes()
    disability = _text()
    address_line_1 = _text()
    address_line_2 = _text()
    town = _text()
    postcode = _text()
    current_whereabouts = _text()
    school_or_placement = _text()
    services_involved = _text()


class PersonSerializer(serializers.Serializer):
    role = _text()
    name = _text()
    nickname = _text()
    relationship = _text()
    parental_responsibility = _text(help_text="yes, no or unknown")
    phone = _text()
    address = _text()
    postcode = _text()
    vehicle_registration = _text()
    handle_platform = _text()
    handle = _text()
    notes = _text()


class IndicatorAnswerSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A code of the current checklist (GET checklist/)")
    answer = serializers.CharField(help_text="yes, no or unknown")
    detail = _text()
    observed_on = serializers.DateField(required=False, allow_null=True)


class ConsentSerializer(serializers.Serializer):
    family_told = _text()
    consent_given = _text()
    no_consent_reason = _text()
    not_to_share = _text()
    source_wants_anonymity = _text()


class ConcernSerializer(serializers.Serializer):
    concern = _text()
    concern_when_where = _text()
    first_hand = _text(help_text="first or reported")
    subject_words = _text()
    actions_taken = _text()
    other_referrals = _codes()


class ReferrerSerializer(serializers.Serializer):
    referrer_name = _text()
    referrer_role = _text()
    referrer_organisation = _text()
    referrer_phone = _text()
    referrer_email = _text()
    referrer_relationship = _text()


class ReferralCreateSerializer(serializers.Serializer):
    """The form's sections, one object each (people and indicators as lists)."""

    danger = DangerSerializer()
    subject = SubjectSerializer()
    people = PersonSerializer(many=True, required=False)
    indicators = IndicatorAnswerSerializer(many=True)
    consent = ConsentSerializer()
    concern = ConcernSerializer()
    referrer = ReferrerSerializer(
        required=False, help_text="Defaults to the client's accountable person's profile."
    )
