"""A preview session sends every block once and afterwards only the blocks an edit changed."""

from editor.core.model import Article, AssetData, ImageAsset, Metadata
from editor.core.render import markdown_to_html
from editor.core.render_blocks import BlockSession
from editor.core.render_process import PrefixAssetUrl


def test_the_first_reply_holds_the_page_and_later_ones_only_new_blocks():
    session = BlockSession()
    body = "# Title\n\nOne.\n\nTwo.\n\nThree."
    first = session.update(Article(body=body, metadata=Metadata(title="T")), full=True)
    assert first["page"] is not None and len(first["html"]) == 4
    assert first["lines"] == [1, 3, 5, 7]
    assert all(f'data-block="{key}"' in first["page"] for key in first["order"])
    second = session.update(Article(body=body.replace("Two.", "Two, changed."), metadata=Metadata(title="T")))
    assert second["page"] is None
    assert list(second["html"]) == [second["order"][2]]
    assert "Two, changed." in second["html"][second["order"][2]]
    assert [key for key in second["order"] if key != second["order"][2]] == [
        key for key in first["order"] if key != first["order"][2]]


def test_block_ids_are_unique_across_sessions_and_marks_do_not_change_the_html():
    one, two = BlockSession(), BlockSession()
    body = "Para.\n\n- a\n- b"
    reply_one, reply_two = one.update(Article(body=body), full=True), two.update(Article(body=body), full=True)
    assert not set(reply_one["order"]) & set(reply_two["order"])
    unmarked = "\n".join(reply_one["html"][key] for key in reply_one["order"])
    for key in reply_one["order"]:
        unmarked = unmarked.replace(f' data-block="{key}"', "")
    assert unmarked == markdown_to_html(body, {})


def test_a_replaced_image_gives_its_block_a_new_id_and_asset_urls_are_applied():
    session = BlockSession()
    body = "![Chart](assets/chart.png)\n\nText."
    old = ImageAsset(name="chart.png", data=AssetData(b""), sha256="aa")
    new = ImageAsset(name="chart.png", data=AssetData(b""), sha256="bb")
    url = PrefixAssetUrl("bundle://article/assets/")
    first = session.update(Article(body=body, assets=[old]), full=True, asset_url=url)
    assert 'src="bundle://article/assets/chart.png"' in first["page"]
    second = session.update(Article(body=body, assets=[new]), asset_url=url)
    assert first["order"][0] not in second["order"]
