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
