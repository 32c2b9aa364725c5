"""The Terms of Service a new archive starts with, written for this project. Archive owners
replace or edit them in Django's admin (Archive settings). Plain text: blank lines separate
paragraphs, and the page never renders it as HTML."""

DEFAULT_TERMS_OF_SERVICE = """\
These terms apply to everyone who uses this archive: readers, writers, commenters and \
volunteers. By creating an account you agree to them. The archive's administrators may change \
them; the version on this page is the one that applies.

Your works stay yours
You keep every right you have in what you post. By posting a work you allow this archive to \
store it, show it to readers and offer it for download in the archive's formats, for as long as \
it is posted here. You may edit, orphan or delete your works at any time.

What you may post
Post only works you created, or have the right to post, and add co-creators only with their \
agreement. Rate and tag your works honestly and choose the archive warnings that apply, so that \
readers can decide what to read. Do not post anything that is illegal where this archive is \
run, that harasses or threatens anyone, that reveals someone's private information, or that is \
spam or advertising.

Moderation
The archive's moderators may hide works, comments and accounts that break these terms, ask you \
to change them, or remove them, and may suspend accounts that break the terms again. A hidden \
work is seen only by its creators and the moderators until the problem is resolved. Report \
anything you think breaks these terms to the moderators.

Other people's works
Every work here belongs to its creators. Do not copy, repost, translate or adapt another \
person's work without their permission, and do not use anyone's works from this archive for \
commercial purposes: no selling them, printing them for sale or putting them into anything that \
is sold.

Age
You may create an account only if you are at least the minimum age this archive asks for on \
its sign-up page (given below), and old enough where you live to agree to these terms yourself.

No guarantees
The archive is offered as it is. It may be unavailable at times, and works may be lost; keep \
your own copies of what you write."""


def default_terms_of_service() -> str:
    # A callable default keeps the text out of the migrations, so improving it needs none.
    return DEFAULT_TERMS_OF_SERVICE
