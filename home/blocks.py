"""StreamField blocks for guides and news: the shapes plain-language law takes.

Each block renders with its own template under home/blocks/, so the markup (and the
print stylesheet's hooks) lives in one place for every page that uses it.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

PROSE_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.CharBlock):
    """A section heading inside the body; the page title is the only h1."""

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "home/blocks/heading.html"


class StatuteBlock(blocks.StructBlock):
    """The words of the law itself, with where to find them."""

    law = blocks.CharBlock(label=_("Law"), help_text=_("For example: 民法典"))
    article = blocks.CharBlock(
        label=_("Article"), help_text=_("For example: 第一千零七十九条")
    )
    text = blocks.TextBlock(label=_("Text of the article"))

    class Meta:
        icon = "openquote"
        label = _("Statute quotation")
        template = "home/blocks/statute.html"


class CalloutBlock(blocks.StructBlock):
    """A tip or a warning that must not be missed while skimming."""

    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("warning", _("Warning"))],
        default="tip",
        label=_("Kind"),
    )
    title = blocks.CharBlock(required=False, label=_("Title"))
    text = blocks.RichTextBlock(features=PROSE_FEATURES, label=_("Text"))

    class Meta:
        icon = "warning"
        label = _("Callout or tip")
        template = "home/blocks/callout.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"))
    text = blocks.TextBlock(required=False, label=_("Details"))


class StepListBlock(blocks.StructBlock):
    """What to do, in order: the form most readers actually need."""

    title = blocks.CharBlock(required=False, label=_("Title"))
    steps = blocks.ListBlock(StepBlock(), min_num=1, label=_("Steps"))

    class Meta:
        icon = "list-ol"
        label = _("Step list")
        template = "home/blocks/steps.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.RichTextBlock(features=PROSE_FEATURES, label=_("Answer"))

    class Meta:
        icon = "help"
        label = _("Question and answer")
        template = "home/blocks/question.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Text alternative"),
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "home/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    """A form or template to download, described so the reader knows what it is."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(required=False, label=_("Link text"))
    description = blocks.CharBlock(required=False, label=_("Description"))

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "home/blocks/document.html"


class GuideBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PROSE_FEATURES, label=_("Paragraph"), icon="pilcrow"
    )
    heading = HeadingBlock()
    statute = StatuteBlock()
    callout = CalloutBlock()
    steps = StepListBlock()
    question = QuestionAnswerBlock()
    image = ImageBlock()
    document = DocumentBlock()
