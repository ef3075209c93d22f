"""Attachments through the real services (referrals/attachments). Invented content."""

from django.core.files.uploadedfile import SimpleUploadedFile

from referrals.attachments import scanner, services

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# The EICAR test file, assembled at run time so that no file here holds it whole.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-" + b"ANTIVIRUS-TEST-FILE!$H+H*"


def quarantined_attachment(referral, user, name="Zoë's screenshot.txt"):
    """A file attached and found infected (without clamd): the quarantine's records and
    its notice to the uploader."""
    upload = SimpleUploadedFile(name, b"Invented text for the test.\n")
    attachment = services.attachment_add(referral=referral, user=user, upload=upload, kind="text")
    return services._scanned(
        attachment_id=attachment.pk,
        result=scanner.ScanResult(clean=False, signature="Portal.Test.EICAR"),
    )
