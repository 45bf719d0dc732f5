"""Background work of Learn (thin: each task calls a service, and is safe to run twice)."""

from django_tasks import task


@task()
def render_certificate(*, certificate_id: int) -> None:
    """Draw the PDF of a certificate (a certificate that has its PDF keeps it)."""
    from satupintu.learning.services.certificates import certificate_render_pdf

    certificate_render_pdf(certificate_id=certificate_id)
