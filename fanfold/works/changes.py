"""What else happens when a work changes.

Every works service that changes what readers see of a work (its text, metadata, tags, byline,
visibility) calls `work_changed` inside its transaction. Each app that keeps something derived
from works (the search index, cached downloads, the originality index, subscriptions) is called
from here by name rather than through signals, so this one function lists everything a change
sets off and tests can follow it. Anything slow belongs in a background task enqueued with
transaction.on_commit, so a refused or rolled-back change sets off nothing.
"""

from enum import StrEnum

from fanfold.search.index import search_work_changed
from fanfold.tags.counts import tags_work_changed

from .models import Chapter, Work


class WorkChange(StrEnum):
    # Anything readers see changed: metadata, tags, creators, a chapter's text or order, hidden
    # or shown again. Also sent for drafts (their creators search and download them too).
    SAVED = "saved"
    # A draft work was posted: it became visible to readers for the first time.
    POSTED = "posted"
    # A new chapter of an already posted work became visible (`chapter` says which).
    CHAPTER_POSTED = "chapter_posted"
    # The work is about to be deleted (sent before the rows go, inside the same transaction).
    DELETED = "deleted"


def work_changed(work: Work, change: WorkChange, *, chapter: Chapter | None = None) -> None:
    """Tell every app that keeps something derived from works that this work changed."""
    # Each app that derives data from works adds its one call here. Cached listing counts
    # follow from the writers below (the work's filter rows and search entry), not from here.
    tags_work_changed(work, change)
    from fanfold.originality.changes import originality_work_changed

    originality_work_changed(work, change)
    from fanfold.subscriptions.services import subscriptions_work_changed

    subscriptions_work_changed(work, change, chapter=chapter)
    from fanfold.downloads.services import downloads_work_changed

    downloads_work_changed(work, change)
    search_work_changed(work, change)
