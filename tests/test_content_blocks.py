"""The guide body's blocks render as readers need them: the law set off and cited,
steps numbered, tips labelled, images described, downloads sized."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents.models import Document
from wagtail.images.models import Image

from home.blocks import GuideBodyBlock

pytestmark = pytest.mark.django_db


def render(raw: list) -> str:
    block = GuideBodyBlock()
    return block.render(block.to_python(raw))


def png() -> ImageFile:
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 3), "white").save(buffer, "PNG")
    return ImageFile(buffer, name="flow.png")


def test_statute_names_the_law_and_article():
    """A statute quotation is a figure citing 《law》 and article under the text."""
    html = render(
        [
            {
                "type": "statute",
                "value": {"law": "民法典", "article": "第十九条", "text": "八周岁以上"},
            }
        ]
    )
    assert '<figure class="statute">' in html
    assert "<figcaption>《民法典》第十九条</figcaption>" in html


def test_steps_are_an_ordered_list_and_tips_are_labelled():
    """Steps come numbered; a warning without a title still says it is a warning."""
    html = render(
        [
            {
                "type": "steps",
                "value": {"title": "怎么办", "steps": [{"title": "报警", "text": ""}]},
            },
            {
                "type": "callout",
                "value": {"kind": "warning", "title": "", "text": "<p>x</p>"},
            },
        ]
    )
    assert "<ol>" in html and "<strong>报警</strong>" in html
    assert 'class="callout callout--warning"' in html
    assert "<strong>注意</strong>" in html


def test_images_carry_their_text_alternative_and_documents_their_size():
    """An image has the editor's alt text; a download shows its type and size."""
    image = Image.objects.create(title="示意图", file=png())
    document = Document.objects.create(
        title="劳动仲裁申请书", file=ContentFile(b"x" * 2048, name="form.pdf")
    )
    html = render(
        [
            {
                "type": "image",
                "value": {"image": image.pk, "alt": "仲裁流程图", "caption": ""},
            },
            {
                "type": "document",
                "value": {"document": document.pk, "title": "", "description": ""},
            },
        ]
    )
    assert 'alt="仲裁流程图"' in html
    assert "劳动仲裁申请书" in html and "PDF" in html and "2.0" in html
