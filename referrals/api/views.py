"""The partner API (/api/v1/). The role check of these views is the client token:
DRF's APIView.initial authenticates (referrals.api.authentication) and checks
HasApiClient before any handler runs, so an unknown or revoked token is a 401 on every
endpoint whatever the method, and a token without the view's `required_scope` a 403."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from referrals.api import services
from referrals.api.serializers import (
    AddendumCreatedSerializer,
    AddendumSerializer,
    AttachmentCreatedSerializer,
    AttachmentUploadSerializer,
    ChecklistSerializer,
    ReferralCreateSerializer,
    ReferralStatusSerializer,
)
from referrals.models import ApiClient


def _token_checked(cls):
    view = cls.as_view()
    # tests/test_view_decorators.py: the check is DRF's authentication + permission.
    view.role_check = view
    return view


Scope = ApiClient.Scope
FORBIDDEN = {403: OpenApiResponse(description="The token lacks the operation's scope.")}


class ChecklistView(APIView):
    required_scope = Scope.CHECKLIST

    @extend_schema(
        responses={200: ChecklistSerializer, **FORBIDDEN}, summary="The current indicator checklist"
    )
    def get(self, request):
        data = services.checklist_read(client=request.auth, request=request._request)
        return Response(ChecklistSerializer(data).data)


checklist = _token_checked(ChecklistView)


class ReferralStatusView(APIView):
    required_scope = Scope.READ

    @extend_schema(
        responses={200: ReferralStatusSerializer, **FORBIDDEN},
        summary="A referral's status and the outcome its referrer may know",
    )
    def get(self, request, reference):
        data = services.referral_status_read(
            client=request.auth, reference=reference, request=request._request
        )
        return Response(ReferralStatusSerializer(data).data)


referral_status = _token_checked(ReferralStatusView)


class AddendumView(APIView):
    required_scope = Scope.ADDENDA

    @extend_schema(
        request=AddendumSerializer,
        responses={201: AddendumCreatedSerializer, **FORBIDDEN},
        summary="Add information to a submitted referral",
    )
    def post(self, request, reference):
        incoming = AddendumSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        addendum = services.referral_information_add(
            client=request.auth,
            reference=reference,
            body=incoming.validated_data["body"],
            key=request.headers.get("Idempotency-Key", ""),
            request=request._request,
        )
        data = {"id": addendum.pk, "reference": reference, "created_at": addendum.created_at}
        return Response(AddendumCreatedSerializer(data).data, status=status.HTTP_201_CREATED)


referral_addendum = _token_checked(AddendumView)

# Room for the multipart envelope around a file of the largest size allowed.
MULTIPART_OVERHEAD = 64 * 1024


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."


class AttachmentView(APIView):
    required_scope = Scope.ATTACHMENTS
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentCreatedSerializer, **FORBIDDEN},
        summary="Attach a file to a submitted referral (scanned before anyone can open it)",
    )
    def post(self, request, reference):
        # Refused before the body is read: a file over the limit is never stored.
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.ATTACHMENT_MAX_BYTES + MULTIPART_OVERHEAD
        if not length.isdigit() or int(length) > limit:
            raise TooLarge(
                f"The file must be smaller than {settings.ATTACHMENT_MAX_BYTES // 2**20} MB."
            )
        incoming = AttachmentUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        attachment = services.referral_attachment_add(
            client=request.auth,
            reference=reference,
            upload=incoming.validated_data["file"],
            request=request._request,
        )
        data = {
            "id": attachment.pk,
            "reference": reference,
            "kind": attachment.kind,
            "size": attachment.size,
            "state": attachment.state,
            "uploaded_at": attachment.uploaded_at,
        }
        return Response(AttachmentCreatedSerializer(data).data, status=status.HTTP_201_CREATED)


referral_attachment = _token_checked(AttachmentView)


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Optional, up to 100 characters. A retried POST with a key this client "
    "has used returns the referral that key created (200) instead of a second one.",
)


class ReferralCreateView(APIView):
    required_scope = Scope.SUBMIT

    @extend_schema(
        request=ReferralCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ReferralStatusSerializer, 200: ReferralStatusSerializer, **FORBIDDEN},
        summary="Submit a referral (the form's fields and rules)",
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100:
            raise serializers.ValidationError({"Idempotency-Key": ["Use at most 100 characters."]})
        incoming = ReferralCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        referral, created = services.referral_create(
            client=request.auth,
            data=incoming.validated_data,
            key=key,
            request=request._request,
        )
        body = ReferralStatusSerializer(services.referral_status_body(referral)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


referral_create = _token_checked(ReferralCreateView)
