"""Pasting rich text: HTML from browsers and word processors becomes clean, safe Markdown."""

import pytest

from editor.core.errors import EditorError
from editor.core.html_import import MAX_HTML_CHARS, html_to_markdown, is_furniture

BROWSER_PAGE = """<html><head><meta charset="utf-8"><title>Site</title>
<style>p { color: red }</style><script>var tracker = 1;</script></head><body>
<!--StartFragment-->
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header><div>Daily Site</div></header>
<article>
  <header><h1>Putin meets Choe in Moscow</h1><p>By <a href="https://example.org/jane">Jane Doe</a></p></header>
  <p>4 views</p>
  <p>MOSCOW — The <strong>president</strong> met the <em>foreign minister</em> on Jan.&nbsp;16.<br>A second line.</p>
  <h2>Talks</h2>
  <blockquote><p>We are good neighbours.</p></blockquote>
  <ul><li>Trade</li><li>Security<ul><li>Borders</li></ul></li></ul>
  <ol><li>First</li><li>Second</li></ol>
  <p>Share</p>
  <p>Advertisement</p>
  <p>0 comments</p>
  <p><a href="#top">Top of page</a></p>
</article>
<aside>Most read: something else</aside>
<footer>Copyright Daily Site</footer>
<!--EndFragment-->
</body></html>"""


def test_browser_fragment_keeps_structure():
    markdown = html_to_markdown(BROWSER_PAGE)
    lines = markdown.splitlines()
    assert lines[0] == "# Putin meets Choe in Moscow"
    assert "By [Jane Doe](https://example.org/jane)" in lines
    assert "MOSCOW — The **president** met the *foreign minister* on Jan. 16.\\" in lines
    assert "A second line." in lines
    assert "## Talks" in lines
    assert "> We are good neighbours." in lines
    assert "- Trade" in lines
    assert "  - Borders" in lines
    assert "1. First" in lines and "2. Second" in lines


def test_browser_fragment_loses_page_chrome_and_furniture():
    markdown = html_to_markdown(BROWSER_PAGE)
    for junk in ("Home", "Daily Site", "Most read", "Copyright", "4 views", "Share", "Advertisement",
                 "0 comments", "Top of page", "tracker", "color: red", "StartFragment", "<"):
        assert junk not in markdown


def test_output_has_no_trailing_spaces_or_double_blank_lines():
    markdown = html_to_markdown(BROWSER_PAGE + "<p>a&nbsp;&nbsp;</p><div><br><br></div><p></p><p>b</p>")
    assert all(line == line.rstrip() for line in markdown.splitlines())
    assert "\n\n\n" not in markdown
    assert not markdown.endswith("\n")
    assert markdown.endswith("a\n\nb")


WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style><!-- p.MsoNormal {margin:0cm; font-family:"Calibri";} --></style></head>
<body lang=EN-US style='tab-interval:36.0pt'><div class=WordSection1>
<p class=MsoTitle>Harvest report<o:p></o:p></p>
<p class=MsoNormal>The <b style='mso-bidi-font-weight:normal'>wheat</b> came in <i>early</i>
in <st1:place w:st="on">Kansas</st1:place>.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span></span><![endif]>Rain in May<o:p></o:p></p>
<p class=MsoListParagraphCxSpMiddle style='mso-list:l0 level2 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>o<span>&nbsp;&nbsp; </span></span><![endif]>Mostly in the east<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>·<span>&nbsp;&nbsp; </span></span><![endif]>A dry June<o:p></o:p></p>
<p class=MsoNormal>Then the steps:</p>
<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='mso-list:Ignore'>1.<span>&nbsp;&nbsp; </span></span><![endif]>Cut<o:p></o:p></p>
<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='mso-list:Ignore'>2.<span>&nbsp;&nbsp; </span></span><![endif]>Thresh<o:p></o:p></p>
<p class=MsoNormal><v:shape id="Picture_1"><v:imagedata src="file:///C:/Temp/image001.png"/></v:shape>
<img width=320 src="file:///C:/Users/ann/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg" alt="Field at dusk"></p>
</div></body></html>"""


def test_word_fragment_becomes_plain_markdown():
    markdown = html_to_markdown(WORD_HTML)
    assert markdown.splitlines() == [
        "# Harvest report",
        "",
        "The **wheat** came in *early* in Kansas.",
        "",
        "- Rain in May",
        "  - Mostly in the east",
        "- A dry June",
        "",
        "Then the steps:",
        "",
        "1. Cut",
        "2. Thresh",
        "",
        "Field at dusk",
    ]


def test_word_conditional_comments_and_namespaces_leave_nothing_behind():
    markdown = html_to_markdown(WORD_HTML)
    for junk in ("supportLists", "mso", "WordDocument", "Print", "·", "file:", "image001", "Calibri"):
        assert junk not in markdown


def test_google_docs_wrapper_bold_is_not_applied_to_everything():
    html = ('<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1"><p dir="ltr">'
            '<span style="font-weight:700">Bold</span> <span style="font-style:italic">tilted</span> plain</p></b>')
    assert html_to_markdown(html) == "**Bold** *tilted* plain"


@pytest.mark.parametrize("payload", [
    "<script>alert('x')</script>",
    "<style>body{background:url(https://evil.example/x)}</style>",
    "<noscript><img src=https://evil.example/p.gif></noscript>",
    "<iframe src='https://evil.example/'>frame text</iframe>",
    "<form action='https://evil.example/'><input name=q value=typed><button>Send</button></form>",
    "<object data='https://evil.example/x.swf'>object text</object>",
    "<svg><script>alert(2)</script></svg>",
    "<template><p>template text</p></template>",
    "<p hidden>hidden text</p><p style='display:none'>invisible text</p>",
])
def test_active_and_hidden_content_is_dropped(payload):
    markdown = html_to_markdown(f"<p>Before</p>{payload}<p>After</p>")
    assert markdown == "Before\n\nAfter"


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<b>x</b>",
    "vbscript:msgbox", "file:///etc/passwd", "/relative/page", "#anchor", "",
])
def test_unsafe_or_meaningless_links_keep_only_their_text(href):
    assert html_to_markdown(f'<p>Read <a href="{href}">the report</a> now.</p>') == "Read the report now."


@pytest.mark.parametrize("href", ["https://example.org/a?b=1", "http://example.org/", "mailto:desk@example.org"])
def test_web_and_mail_links_survive(href):
    assert html_to_markdown(f'<p><a href="{href}" onclick="steal()">desk</a></p>') == f"[desk]({href})"


def test_remote_images_become_their_alt_text_and_local_ones_stay():
    html = ('<p>Look: <img src="https://cdn.example.org/p.jpg" alt="A tractor"> there.</p>'
            '<div><img src="https://cdn.example.org/pixel.gif"></div>'
            '<figure><img src="assets/field.jpg" alt="Field"><figcaption>The field</figcaption></figure>'
            '<img src="//cdn.example.org/x.jpg" alt="Protocol relative">'
            '<img src="data:image/png;base64,AAAA" alt="Inline data">')
    markdown = html_to_markdown(html)
    assert "Look: A tractor there." in markdown
    assert "![Field](assets/field.jpg)" in markdown
    assert "The field" in markdown
    assert "Protocol relative" in markdown and "Inline data" in markdown
    assert "http" not in markdown and "//" not in markdown and "data:" not in markdown


def test_simple_table_becomes_markdown_table():
    html = ("<table><thead><tr><th>Crop</th><th>Tonnes</th></tr></thead>"
            "<tbody><tr><td><p class=MsoNormal>Wheat</p></td><td>12</td></tr></tbody></table>")
    assert html_to_markdown(html).splitlines() == ["| Crop | Tonnes |", "| --- | --- |", "| Wheat | 12 |"]


def test_layout_table_is_unpacked_into_blocks():
    html = ("<table><tr><td><h2>Left</h2><p>One</p><p>Two</p></td><td colspan=2><ul><li>Item</li></ul></td></tr>"
            "</table>")
    markdown = html_to_markdown(html)
    assert "|" not in markdown
    assert markdown.splitlines() == ["## Left", "", "One", "", "Two", "", "- Item"]


def test_visible_angle_brackets_do_not_become_html():
    markdown = html_to_markdown("<p>Type &lt;script&gt; to see it.</p>")
    assert "<script" not in markdown
    assert "&lt;script" in markdown


@pytest.mark.parametrize("line", [
    "Top of page", "top of page", "Back to top", "4 views", "1,204 Views", "0 comments", "12 Comments",
    "Share", "SHARE THIS ARTICLE", "Share on Facebook", "Advertisement", "Skip to content",
    "Skip to main content", "[Share](https://example.org/share)", "- Share", "**Advertisement**",
    "5 min read", "Leave a comment", "Facebook Twitter Email",
])
def test_furniture_lines_are_recognised(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "Share prices fell 4 percent.", "The advertisement ran for a week.", "4 views of the river",
    "Comments from the minister were brief.", "At the top of page four, the decree.", "", "xxxx", "Printer",
])
def test_sentences_containing_furniture_words_are_kept(line):
    assert not is_furniture(line)


def test_furniture_inside_code_blocks_is_kept():
    html = "<pre>Share\n\n\n4 views</pre>"
    assert html_to_markdown(html) == "```\nShare\n\n\n4 views\n```"


def test_input_over_the_size_cap_is_refused():
    with pytest.raises(EditorError, match="too large"):
        html_to_markdown("<p>" + "x" * MAX_HTML_CHARS + "</p>")


def test_input_exactly_at_the_size_cap_is_accepted():
    html = "<p>" + "x" * (MAX_HTML_CHARS - 7) + "</p>"
    assert len(html) == MAX_HTML_CHARS
    assert html_to_markdown(html) == "x" * (MAX_HTML_CHARS - 7)


def test_absurdly_deep_nesting_keeps_the_words():
    depth = 20_000
    html = "<div><span>" * depth + "deep words" + "</span></div>" * depth + "<p>after</p>"
    assert html_to_markdown(html) == "deep words\n\nafter"


@pytest.mark.parametrize("html", ["", "   ", "<p></p>", "<!-- only a comment -->", "<script>x()</script>"])
def test_empty_input_gives_empty_text(html):
    assert html_to_markdown(html) == ""
