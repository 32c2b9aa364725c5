"""Atom feeds of the newest works in a fandom, character or relationship tag
(/tags/NAME/feed.atom), as AO3 has. Public works only: no drafts, no restricted works (a feed
reader is not logged in), no works hidden by moderators."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from fanfold.tags.models import Tag, TagType, tag_name_from_url, tag_name_to_url
from fanfold.works.models import Work
from fanfold.works.selectors import works_newest_posted_for_tag

FEED_TAG_TYPES = (TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP)
FEED_ITEMS = 25


class TagWorksFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, tag_name):
        tag = get_object_or_404(
            Tag.objects.select_related("merger"), name__iexact=tag_name_from_url(tag_name)
        )
        tag = tag.merger or tag  # a synonym's feed is its canonical tag's
        if tag.type not in FEED_TAG_TYPES:
            raise Http404("Only fandoms, characters and relationships have feeds.")
        return tag

    def title(self, tag):
        return f"{tag.name} works"

    def subtitle(self, tag):
        return f"The newest works in {tag.name}"

    def link(self, tag):
        return tag.get_absolute_url()

    def feed_url(self, tag):
        return reverse("tag_feed", args=[tag_name_to_url(tag.name)])

    def items(self, tag):
        # As a guest sees them: posted, not restricted, not hidden.
        return works_newest_posted_for_tag(tag_id=tag.pk, limit=FEED_ITEMS)

    def item_title(self, work: Work):
        return work.title

    def item_description(self, work: Work):
        return work.summary  # sanitized HTML; the feed escapes it as type="html"

    def item_link(self, work: Work):
        return work.get_absolute_url()

    def item_author_name(self, work: Work):
        return ", ".join(str(c.pseud) for c in work.approved_creatorships) or "Anonymous"

    def item_pubdate(self, work: Work):
        return work.revised_at

    def item_updateddate(self, work: Work):
        return work.revised_at

    def item_categories(self, work: Work):
        return [tagging.tag.name for tagging in work.taggings.all()]
