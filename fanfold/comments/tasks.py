from django.tasks import task


@task
def email_comment_notification(comment_id: int, user_id: int, kind: str) -> bool:
    """E-mail one user about a comment on their work or a reply to their comment (see
    services.comment_notification_email). Returns whether an e-mail was sent."""
    from .services import comment_notification_email

    return comment_notification_email(comment_id=comment_id, user_id=user_id, kind=kind)
