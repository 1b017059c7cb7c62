"""The HTML around the preview's article: the long-page rules and the page as it is after block patches."""

from __future__ import annotations

from editor.ui.preview_html import (
    CONTENT_POLICY,
    DROP_CAP,
    LOCAL_DROP_CAP,
    LONG_PAGE_STYLE,
    head_of,
    page_extras,
    patched_page,
)

PAGE = ('<!DOCTYPE html>\n<html lang="en"><head><title>Old</title><style>x</style></head><body><article>'
        '<header class="article-header" id="article-header"><h1>Old</h1></header>\n'
        '<div class="article-body" id="article-body">\n<p>one</p>\n</div>\n</article></body></html>')


def test_a_short_article_keeps_the_stylesheet_and_only_the_safety_head():
    head, stylesheet = page_extras(False, "p { color: red } " + DROP_CAP)
    assert head == CONTENT_POLICY
    assert stylesheet == "p { color: red } " + DROP_CAP


def test_a_long_article_lays_out_only_what_is_seen_and_gets_the_cheap_drop_cap():
    head, stylesheet = page_extras(True, "a " + DROP_CAP + " b")
    assert head == CONTENT_POLICY + LONG_PAGE_STYLE
    assert stylesheet == "a " + LOCAL_DROP_CAP + " b"
    _head, own = page_extras(True, None)  # the renderer's own stylesheet, read from the resources
    assert own and LOCAL_DROP_CAP in own and DROP_CAP not in own


def test_the_patched_page_has_the_new_blocks_header_title_and_language():
    reply = {"header": '<header class="article-header" id="article-header"><h1>New</h1></header>',
             "title": "New & <improved>", "lang": "de"}
    page = patched_page(PAGE, ["<p>one</p>", "<p>two</p>"], reply)
    assert '<div class="article-body" id="article-body">\n<p>one</p>\n<p>two</p>\n</div>' in page
    assert "<h1>New</h1>" in page and "<h1>Old</h1>" not in page
    assert "<title>New &amp; &lt;improved&gt;</title>" in page
    assert '<html lang="de">' in page


def test_only_a_change_of_how_the_page_looks_calls_for_a_fresh_load():
    assert head_of(PAGE) == head_of(PAGE.replace("<title>Old</title>", "<title>Other</title>"))
    assert head_of(PAGE) != head_of(PAGE.replace("<style>x</style>", "<style>y</style>"))
