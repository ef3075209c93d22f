"""Attachments (referrals/attachments/urls.py): the author attaches to their draft and
to what they sent, triage to a submitted referral; a clean file opens for whoever may
read the referral. Everyone else gets 404."""

from tests.permission_matrix.base import REDIRECT, Row, only


def _submitted(w):
    return {"public_id": w.referral.public_id}


def _draft(w):
    return {"public_id": w.draft.public_id}


def _clean_file(w):
    from django.core.files.base import ContentFile

    from referrals.models import Attachment

    attachment = Attachment(
        referral=w.referral,
        uploaded_by=w.referral.author,
        name="Zoë's letter.txt",
        kind=Attachment.Kind.TEXT,
        size=12,
        state=Attachment.State.CLEAN,
    )
    attachment.file.save("matrix.bin", ContentFile(b"A letter.\n"), save=True)
    return {"public_id": w.referral.public_id, "pk": attachment.pk}


def _imagery(w):
    return {
        "indecent_imagery_exists": "on",
        "indecent_imagery_description": "Images on Øyvind's phone, held by the school.",
    }


ROWS = [
    Row("referral_attachments", only(200, "author", "triager"), kwargs=_submitted),
    Row("referral_attachments", only(200, "author"), kwargs=_draft, note="a draft"),
    Row(
        "referral_attachments",
        only(REDIRECT, "author", "triager"),
        kwargs=_submitted,
        method="post",
        data=_imagery,
    ),
    Row("attachment_download", only(200, "author", "triager"), kwargs=_clean_file),
]
