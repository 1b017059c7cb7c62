"""Recovery copies: written cheaply while typing, read back exactly, offered only when their window is gone."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core import recovery
from editor.core.bundle import open_bundle, save_bundle
from editor.core.errors import EditorError
from editor.core.instance import Instance, host_name, process_start, this_instance
from editor.core.model import (
    Article,
    AssetData,
    Comment,
    ImageAsset,
    Metadata,
    Reply,
    Status,
    StatusChange,
)
from editor.core.recovery import RecoveryEntry, RecoveryError, RecoveryStore
from editor.core.safezip import ZipAssetData
from tests.core.bundle_samples import clone, png, sample_article
from tests.core.test_bundle_property import TEXT, articles


def _dead_owner() -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return str(Instance(host=host_name(), pid=child.pid, start="1"))


def _live_other_owner() -> str:
    parent = os.getppid()
    return str(Instance(host=host_name(), pid=parent, start=process_start(parent)))


def _bytes(article: Article) -> list[bytes]:
    return [a.data.read_bytes() for a in article.assets]


def _reviewed(article: Article) -> Article:
    article.comments = [
        Comment(id="c1", author="Bo", created="2024-01-16T09:30:00+00:00", text="Source?", start=3, end=9,
                quote="MOSCOW", replies=[Reply(author="Ann", created="2024-01-16T10:00:00+00:00", text="TASS")]),
        Comment(id="c2", text="Fixed", resolved=True, detached=True),
    ]
    article.status_history = [StatusChange(Status.DRAFT, "Ann", "2024-01-15T08:00:00+00:00"),
                              StatusChange(Status.IN_REVIEW, "Ann", "2024-01-16T08:00:00+00:00")]
    return article


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, Article, str]:
    """A sample article saved as a folder bundle and opened again, as the window holds it."""
    path = tmp_path / "Story.textbundle"
    save_bundle(clone(sample_article()), path)
    opened = open_bundle(path)
    return path, opened.article, opened.fingerprint


def test_write_then_load_gives_back_everything(tmp_path: Path, saved: tuple[Path, Article, str]) -> None:
    path, article, fingerprint = saved
    article = _reviewed(article)
    article.assets.append(ImageAsset.from_bytes("new.png", png(5, 5), caption="Only in memory"))
    article.private_files["org.article-editor/versions/1.json"] = AssetData(b'{"v": 1}')
    store = RecoveryStore(tmp_path / "recovery")
    key = store.new_key()
    store.write(key, article, path, fingerprint)
    back = store.load(key)
    assert back == article
    assert _bytes(back) == _bytes(article)
    assert back.private_files["org.article-editor/versions/1.json"].read_bytes() == b'{"v": 1}'
    entry = store.entry(key)
    assert (entry.key, entry.source, entry.title, entry.fingerprint) == (key, path, "Talks in Moscow", fingerprint)
    assert entry.words == len(article.body.split())
    assert entry.changed.tzinfo is not None and abs(datetime.now(UTC) - entry.changed) < timedelta(minutes=5)


def test_a_never_saved_article_with_new_pictures_survives(tmp_path: Path) -> None:
    article = Article(body="First words", assets=[ImageAsset.from_bytes("a.png", png(2, 3))])
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()
    store.write(key, article, None, None)
    del article.assets[0].data  # the window's memory is gone after a crash
    back = store.load(key)
    assert back.body == "First words"
    assert back.assets[0].data.read_bytes() == png(2, 3)
    assert store.entry(key).source is None and store.entry(key).fingerprint is None


def test_pictures_from_the_bundle_are_referenced_not_read(tmp_path: Path, saved: tuple[Path, Article, str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path, article, fingerprint = saved
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()

    def refuse(self: AssetData) -> bytes:
        raise AssertionError("a bundle picture was read")

    monkeypatch.setattr(AssetData, "read_bytes", refuse)
    store.write(key, article, path, fingerprint)
    article.body += " more"
    store.write(key, article, path, fingerprint)
    monkeypatch.undo()
    assert list((tmp_path / "r" / key / "blobs").iterdir()) == []
    assert _bytes(store.load(key)) == _bytes(article)


def test_a_picture_only_in_memory_is_read_and_written_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asset = ImageAsset.from_bytes("a.png", png(4, 4))
    article = Article(body="x", assets=[asset])
    reads = []
    original = AssetData.read_bytes

    def counting(self: AssetData) -> bytes:
        reads.append(self)
        return original(self)

    monkeypatch.setattr(AssetData, "read_bytes", counting)
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()
    for n in range(3):
        article.body += f" {n}"
        store.write(key, article, None, None)
    assert len(reads) == 1
    blobs = list((tmp_path / "r" / key / "blobs").iterdir())
    assert [b.read_bytes() for b in blobs] == [png(4, 4)]


def test_removed_pictures_and_old_text_files_are_tidied(tmp_path: Path) -> None:
    article = Article(body="x", assets=[ImageAsset.from_bytes("a.png", png(1, 1)),
                                        ImageAsset.from_bytes("b.png", png(2, 2))])
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()
    store.write(key, article, None, None)
    article.assets.pop()
    store.write(key, article, None, None)
    folder = tmp_path / "r" / key
    assert len(list((folder / "blobs").iterdir())) == 1
    assert len(list(folder.glob("article-*.json"))) == 1


@pytest.mark.parametrize("failing", ["article", "entry"])
def test_a_write_that_dies_leaves_the_previous_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    failing: str) -> None:
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()
    store.write(key, Article(body="old words"), None, None)
    real = recovery.atomic_write_bytes

    def dying(path: Path, data: bytes) -> None:
        if path.name.startswith(failing):
            raise KeyboardInterrupt  # stands for the process dying here
        real(path, data)

    monkeypatch.setattr(recovery, "atomic_write_bytes", dying)
    with pytest.raises(KeyboardInterrupt):
        store.write(key, Article(body="new words"), None, None)
    monkeypatch.undo()
    assert RecoveryStore(tmp_path / "r").load(key).body == "old words"


def test_a_full_disk_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()
    store.write(key, Article(body="kept"), None, None)

    def full(path: Path, data: bytes) -> None:
        raise EditorError("The disk is full.") from OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recovery, "atomic_write_bytes", full)
    with pytest.raises(RecoveryError, match=r"^The recovery copy could not be written because the disk is full\.$"):
        store.write(key, Article(body="lost?"), None, None)
    monkeypatch.undo()
    assert store.load(key).body == "kept"


def test_orphans_are_copies_of_instances_no_longer_running(tmp_path: Path) -> None:
    root = tmp_path / "r"
    dead = RecoveryStore(root, owner=_dead_owner())
    crashed = dead.new_key()
    dead.write(crashed, Article(body="crashed window", metadata=Metadata(title="Crashed")), None, None)
    reused = RecoveryStore(root, owner=str(Instance(host_name(), os.getpid(), "not-my-start-time")))
    reused_key = reused.new_key()
    reused.write(reused_key, Article(body="pid reused"), None, None)
    other_window = RecoveryStore(root, owner=_live_other_owner())
    other_window.write(other_window.new_key(), Article(body="still open elsewhere"), None, None)
    me = RecoveryStore(root)
    me.write(me.new_key(), Article(body="mine"), None, None)

    found = me.orphans()
    assert {e.key for e in found} == {crashed, reused_key}
    assert found == sorted(found, key=lambda e: e.changed, reverse=True)
    assert next(e for e in found if e.key == crashed).title == "Crashed"


def test_copies_from_another_host_wait_for_the_limit(tmp_path: Path) -> None:
    root = tmp_path / "r"
    away = RecoveryStore(root, owner=str(Instance("elsewhere.example", 1, "5")))
    key = away.new_key()
    away.write(key, Article(body="on the other machine"), None, None)
    me = RecoveryStore(root)
    assert me.orphans() == []
    entry_file = root / key / "entry.json"
    entry = json.loads(entry_file.read_text())
    entry["changed"] = (datetime.now(UTC) - recovery.OTHER_HOST_LIMIT - timedelta(hours=1)).isoformat()
    entry_file.write_text(json.dumps(entry))
    assert [e.key for e in me.orphans()] == [key]


def test_claim_takes_an_orphan_over(tmp_path: Path) -> None:
    root = tmp_path / "r"
    dead = RecoveryStore(root, owner=_dead_owner())
    key = dead.new_key()
    dead.write(key, Article(body="lost window"), None, None)
    me = RecoveryStore(root)
    assert isinstance(me.claim(key), RecoveryEntry)
    assert me.orphans() == []
    other = RecoveryStore(root, owner=_live_other_owner())
    assert other.orphans() == []  # this instance runs, so the copy is not offered twice
    with pytest.raises(RecoveryError, match="another window"):
        other.claim(key)
    me.write(key, Article(body="lost window, continued"), None, None)
    assert me.load(key).body == "lost window, continued"


def test_claim_refuses_a_live_window(tmp_path: Path) -> None:
    other = RecoveryStore(tmp_path / "r", owner=_live_other_owner())
    key = other.new_key()
    other.write(key, Article(body="busy"), None, None)
    with pytest.raises(RecoveryError, match=r"^This recovered article is open in another window\.$"):
        RecoveryStore(tmp_path / "r").claim(key)


def test_discard_removes_the_copy(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()
    store.write(key, Article(body="x", assets=[ImageAsset.from_bytes("a.png", png())]), None, None)
    store.discard(key)
    store.discard(key)
    assert not (tmp_path / "r" / key).exists()
    assert store.keys() == []
    with pytest.raises(RecoveryError, match="no recovery copy"):
        store.load(key)


@pytest.mark.parametrize("damage", ["article", "entry", "blob", "json"])
def test_a_damaged_copy_fails_with_one_sentence_and_is_not_offered(tmp_path: Path, damage: str) -> None:
    store = RecoveryStore(tmp_path / "r", owner=_dead_owner())
    key = store.new_key()
    store.write(key, Article(body="text", assets=[ImageAsset.from_bytes("a.png", png())]), None, None)
    folder = tmp_path / "r" / key
    article_file = next(folder.glob("article-*.json"))
    if damage == "article":
        article_file.write_bytes(article_file.read_bytes()[:-10])
    elif damage == "entry":
        (folder / "entry.json").write_bytes(b"\x00garbage")
    elif damage == "blob":
        next((folder / "blobs").iterdir()).unlink()
    else:
        data = json.loads(article_file.read_text())
        data["metadata"]["status"] = "nonsense"
        raw = json.dumps(data).encode()
        article_file.write_bytes(raw)
        entry = json.loads((folder / "entry.json").read_text())
        entry["article_sha256"] = recovery.hashlib.sha256(raw).hexdigest()
        (folder / "entry.json").write_text(json.dumps(entry))
    me = RecoveryStore(tmp_path / "r")
    with pytest.raises(RecoveryError) as caught:
        me.load(key)
    assert str(caught.value) == f"The recovery copy “{key}” is damaged and cannot be read."
    if damage == "entry":
        assert me.orphans() == []


def test_bad_keys_are_refused(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path / "r")
    for key in ["../x", "", "a/b", "."]:
        with pytest.raises(RecoveryError):
            store.write(key, Article(), None, None)
    assert not (tmp_path / "x").exists()


def test_a_bundle_picture_changed_after_the_copy_is_refused(tmp_path: Path, saved: tuple[Path, Article, str]) -> None:
    path, article, fingerprint = saved
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()
    store.write(key, article, path, fingerprint)
    back = store.load(key)
    (path / "assets" / "crowd outside.png").write_bytes(png(9, 9))
    assert back.assets[0].data.read_bytes() == article.assets[0].data.read_bytes()
    with pytest.raises(EditorError, match="changed on disk after the recovery copy"):
        back.assets[1].data.read_bytes()


def test_a_textpack_rewritten_with_the_same_pictures_still_serves_them(tmp_path: Path) -> None:
    path = tmp_path / "Story.textpack"
    save_bundle(clone(sample_article()), path)
    opened = open_bundle(path)
    assert isinstance(opened.article.assets[0].data, ZipAssetData)
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()
    store.write(key, opened.article, path, opened.fingerprint)
    assert list((tmp_path / "r" / key / "blobs").iterdir()) == []
    save_bundle(clone(opened.article), path, force=True)  # a new file: new inode, same pictures
    assert _bytes(store.load(key)) == _bytes(sample_article())


def test_a_restored_copy_is_written_again_without_copying(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()
    store.write(key, Article(body="x", assets=[ImageAsset.from_bytes("a.png", png(3, 3))]), None, None)
    restored = store.load(key)
    monkeypatch.setattr(AssetData, "read_bytes", lambda self: pytest.fail("read again"))
    store.write(key, restored, None, None)
    other = store.new_key()
    store.write(other, restored, None, None)
    monkeypatch.undo()
    store.discard(key)
    assert store.load(other).assets[0].data.read_bytes() == png(3, 3)


def test_different_keys_from_different_threads(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path / "r")
    keys = [store.new_key() for _ in range(6)]
    shared = ImageAsset.from_bytes("same.png", png(6, 6))
    errors: list[BaseException] = []

    def typing(key: str) -> None:
        try:
            article = Article(assets=[shared, ImageAsset.from_bytes(f"{key}.png", png(1, 2))])
            for n in range(15):
                article.body += f"{key} {n} "
                store.write(key, article, None, None)
        except BaseException as exc:  # reported below, in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=typing, args=(k,)) for k in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for key in keys:
        back = store.load(key)
        assert back.body.split()[-1] == "14" and back.body.startswith(key)
        assert _bytes(back) == [png(6, 6), png(1, 2)]


def test_owner_defaults_to_this_process(tmp_path: Path) -> None:
    assert RecoveryStore(tmp_path).owner == str(this_instance())


REVIEW = st.builds(
    Comment, id=TEXT, author=TEXT, created=TEXT, text=TEXT, start=st.integers(0, 10**6), end=st.integers(0, 10**6),
    quote=TEXT, resolved=st.booleans(), detached=st.booleans(),
    replies=st.lists(st.builds(Reply, author=TEXT, created=TEXT, text=TEXT), max_size=2),
)
HISTORY = st.builds(StatusChange, status=st.sampled_from(list(Status)), author=TEXT, when=TEXT)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=articles(), comments=st.lists(REVIEW, max_size=3), history=st.lists(HISTORY, max_size=3),
       from_bundle=st.sampled_from([None, ".textbundle", ".textpack"]), rewrites=st.integers(1, 2))
def test_load_after_write_gives_back_the_article(article: Article, comments: list[Comment],
                                                  history: list[StatusChange], from_bundle: str | None,
                                                  rewrites: int) -> None:
    article.comments, article.status_history = comments, history
    with tempfile.TemporaryDirectory() as folder:
        source = None
        if from_bundle and article.assets:
            # Half the pictures come from a saved bundle, the rest are new and held in memory.
            source = Path(folder) / f"a{from_bundle}"
            save_bundle(clone(article), source)
            on_disk = open_bundle(source).article.assets
            article.assets = [d if i % 2 else a for i, (a, d) in enumerate(zip(article.assets, on_disk, strict=True))]
        expected = _bytes(article)
        store = RecoveryStore(Path(folder) / "recovery")
        key = store.new_key()
        for _ in range(rewrites):
            store.write(key, article, source, "fp")
        back = RecoveryStore(Path(folder) / "recovery").load(key)
        assert back == article
        assert back.comments == comments and back.status_history == history
        assert back.foreign_info == article.foreign_info
        assert _bytes(back) == expected


def test_a_claim_marker_left_empty_by_a_crash_does_not_block(tmp_path: Path) -> None:
    dead = RecoveryStore(tmp_path / "r", owner=_dead_owner())
    key = dead.new_key()
    dead.write(key, Article(body="x"), None, None)
    marker = tmp_path / "r" / key / "claim.json"
    marker.write_text("")
    me = RecoveryStore(tmp_path / "r")
    with pytest.raises(RecoveryError, match="being restored in another window"):
        me.claim(key)
    os.utime(marker, (0, 0))
    assert me.claim(key).key == key


_TYPIST = """
import sys
from pathlib import Path
from editor.core.model import Article, ImageAsset
from editor.core.recovery import RecoveryStore

store = RecoveryStore(Path(sys.argv[1]))
key = sys.argv[2]
article = Article(body="")
n = 0
while True:
    n += 1
    article.body += f"word{n} "
    if n % 7 == 0:
        article.assets.append(ImageAsset.from_bytes(f"p{n}.png", bytes([n % 256]) * (n * 50)))
    store.write(key, article, None, None)
    print(n, flush=True)
"""


@pytest.mark.parametrize("trial", range(3))
def test_a_writer_killed_at_any_moment_leaves_a_whole_copy(tmp_path: Path, trial: int) -> None:
    root = tmp_path / "r"
    key = RecoveryStore(root).new_key()
    child = subprocess.Popen([sys.executable, "-c", _TYPIST, str(root), key], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    done = 0
    for _ in range(3 + 7 * trial):
        done = int(child.stdout.readline())
    child.kill()  # SIGKILL: no clean-up of any kind
    child.wait()
    child.stdout.close()
    me = RecoveryStore(root)
    assert [e.key for e in me.orphans()] == [key]
    back = me.load(key)
    words = back.body.split()
    count = len(words)
    assert count >= done and words == [f"word{n}" for n in range(1, count + 1)]
    assert [a.name for a in back.assets] == [f"p{n}.png" for n in range(7, count + 1, 7)]
    assert all(a.data.read_bytes() == bytes([int(a.name[1:-4]) % 256]) * (int(a.name[1:-4]) * 50)
               for a in back.assets)


@pytest.mark.parametrize("form", [".textbundle", ".textpack"])
def test_saved_versions_inside_the_bundle_are_kept_by_reference(tmp_path: Path, form: str) -> None:
    article = sample_article()
    article.private_files["org.article-editor/versions/v1.json"] = AssetData(b'{"body": "earlier"}')
    path = tmp_path / f"Story{form}"
    save_bundle(article, path)
    opened = open_bundle(path)
    store = RecoveryStore(tmp_path / "r")
    key = store.new_key()
    store.write(key, opened.article, path, opened.fingerprint)
    assert list((tmp_path / "r" / key / "blobs").iterdir()) == []
    back = store.load(key)
    assert back.private_files["org.article-editor/versions/v1.json"].read_bytes() == b'{"body": "earlier"}'


def test_a_first_copy_that_never_completed_is_swept_after_a_day(tmp_path: Path) -> None:
    root = tmp_path / "r"
    (root / "20240101T000000-aaaaaaaaaaaa" / "blobs").mkdir(parents=True)
    (root / "20240101T000000-bbbbbbbbbbbb" / "blobs").mkdir(parents=True)
    os.utime(root / "20240101T000000-aaaaaaaaaaaa", (0, 0))
    assert RecoveryStore(root).orphans() == []
    assert sorted(p.name for p in root.iterdir()) == ["20240101T000000-bbbbbbbbbbbb"]
