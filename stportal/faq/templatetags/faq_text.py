from django import template

from stportal.faq.text import Block, blocks

register = template.Library()


@register.filter
def answer_blocks(text: str) -> list[Block]:
    """An answer's paragraphs and lists (`stportal.faq.text`)."""
    return blocks(text or "")
