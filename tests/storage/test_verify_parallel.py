"""verify of a long journal: the checks of each line alone run in worker processes, and find exactly what
one process finds, down to the wording and the byte offsets.

From ``PARALLEL_FROM`` lines on, workers parse byte ranges of the journal and prove each line's hash,
digests, shape and signature while this process parses the lines again for the chain and the replay.
Their fast proofs stand in for the original checks only where they imply them; these tests hold them to
that: damage anywhere (here, in the second half of a journal longer than ``PARALLEL_FROM``) is named as
the one-process verify names it, a canonical form that is faster is the same bytes, and libsodium's
signature check never accepts what OpenSSL refuses.
"""

from __future__ import annotations

import base64
import importlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from supervisor_tui.storage import Actor, Store, verify_record
from supervisor_tui.storage import _verify_lines as lines_check
from supervisor_tui.storage.audit import canonical
from supervisor_tui.storage.journal import (
    Journal,
    _value_refs,
    entry_problem,
    journal_entry_hash,
    journal_name,
    seal_value,
    value_digest,
)
from supervisor_tui.storage.jsonfile import LockedFile, count_keys, duplicate_keys, writes_no_key_twice
from supervisor_tui.storage.signing import PublicKey, SigningKey

verify_module = importlib.import_module("supervisor_tui.storage.verify")
PARALLEL_FROM = verify_module.PARALLEL_FROM
BATCHES, PER_BATCH = 30, 150  # 4,500 entries and more: past PARALLEL_FROM


# -- a long record, built once --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def long_record(tmp_path_factory) -> Path:
    """4,500+ entries in transactions of 150, the author's key replaced half way (a new laptop): the
    entries after it are signed with the new key, which the workers must guess and the replay confirm."""
    assert BATCHES * PER_BATCH > verify_module.PARALLEL_FROM
    path = tmp_path_factory.mktemp("long") / "team.json"
    for half, key in enumerate((Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate())):
        store = Store(str(path), signer=SigningKey(key))
        for batch in range(BATCHES // 2):
            with store.transaction() as txn:
                for i in range(PER_BATCH):
                    fields = {"name": f"Person {half}-{batch}-{i} ☃", "hours": 37.5 - i % 7, "tags": [i, {"b": None}]}
                    txn.create("members", "M", fields)
    return path


@pytest.fixture
def record(long_record, tmp_path) -> Path:
    """A copy of the long record for one test to damage (the snapshot, the journal and the keys folder)."""
    folder = tmp_path / "copy"
    shutil.copytree(long_record.parent, folder, symlinks=True)
    return folder / long_record.name


def journal(path: Path) -> Path:
    return path.with_name(journal_name(path.name))


def lines_of(path: Path) -> list[bytes]:
    return journal(path).read_bytes().split(b"\n")[:-1]


def write(path: Path, lines: list[bytes]) -> None:
    journal(path).write_bytes(b"".join(line + b"\n" for line in lines))


def line_text(entry: dict) -> bytes:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def offset(path: Path, index: int) -> int:
    return sum(len(line) + 1 for line in lines_of(path)[:index])


def both(path: Path, monkeypatch, head=None, parallel_from: int = PARALLEL_FROM) -> Any:
    """The report of verify run in parallel, and of the same verify in one process: they must agree."""
    pools = []

    class Counted(verify_module.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(verify_module, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(verify_module, "PARALLEL_FROM", parallel_from)
    parallel = verify_record(path, head)
    assert pools, "the journal was checked in one process: this test proves nothing about the workers"
    monkeypatch.setattr(verify_module, "PARALLEL_FROM", 10**9)
    alone = verify_record(path, head)
    assert _report(parallel) == _report(alone)
    return parallel


def _report(report) -> dict:
    return {k: getattr(report, k) for k in ("entries", "head", "problems", "warnings", "notes", "erased", "signed")}


# -- damaged records, checked in parallel ------------------------------------------------------------------
def test_a_long_record_verifies_in_parallel_with_every_signature_counted(record, monkeypatch):
    report = both(record, monkeypatch)
    assert report.ok, report.problems
    assert report.entries == report.signed == len(lines_of(record))


def test_a_forged_signature_late_in_a_long_journal_is_named(record, monkeypatch):
    lines = lines_of(record)
    late = len(lines) - 700
    entry, other = json.loads(lines[late]), json.loads(lines[late - 1])
    entry["sig"] = other["sig"]  # a real signature, of another entry
    lines[late] = line_text(entry)
    write(record, lines)
    report = both(record, monkeypatch)
    assert report.problems == [
        f"journal entry {entry['seq']}'s signature does not match the key registered for {entry['actor']} "
        f"(1 entry in all): written by someone without {entry['actor']}'s key"
    ]


def test_a_value_edited_late_in_a_long_journal_is_named_with_its_byte(record, monkeypatch):
    lines = lines_of(record)
    late = len(lines) - 500
    entry = json.loads(lines[late])
    entry["changes"]["name"][1]["v"] = "Someone Else"  # the digest the hash covers is left as it was
    lines[late] = line_text(entry)
    write(record, lines)
    report = both(record, monkeypatch)
    assert report.problems == [
        f"The journal {journal(record)} is damaged: the line at byte {offset(record, late)} (entry {late + 1}) holds "
        "a value at changes.name[1] that its hash does not cover: the value or salt of this reference does not "
        "match its digest. It has not been changed."
    ]


def test_a_broken_link_late_in_a_long_journal_is_named(record, monkeypatch):
    lines = lines_of(record)
    late = len(lines) - 300
    entry = json.loads(lines[late])
    entry["changes"]["hours"][1] = seal_value(0)
    entry["hash"] = journal_entry_hash(entry)  # rehashed, as someone covering their tracks would
    lines[late] = line_text(entry)
    write(record, lines)
    report = both(record, monkeypatch)
    assert report.problems == [
        f"The journal {journal(record)} is damaged: the line at byte {offset(record, late + 1)} (entry {late + 2}) "
        "does not link to the entry before it (prev is not that entry's hash). It has not been changed."
    ]


@pytest.mark.parametrize(
    "twice",
    [
        b'"actor":"mallory",',  # json.loads keeps the last: another reader the first
        b'"act\\u006fr":"mallory",',  # the same key, spelled with an escape
        b'"actor" :"mallory",',  # with a space before its colon (not counted by the quick look)
    ],
)
def test_a_key_given_twice_late_in_a_long_journal_is_named(record, monkeypatch, twice):
    lines = lines_of(record)
    late = len(lines) - 200
    lines[late] = lines[late].replace(b'"action":"create",', b'"action":"create",' + twice, 1)
    write(record, lines)
    report = both(record, monkeypatch)
    assert report.problems == [
        f"The journal {journal(record)} is damaged: the line at byte {offset(record, late)} (entry {late + 1}) gives "
        "the key 'actor' twice in one object, so readers disagree about which value counts (edited outside the "
        "app). It has not been changed."
    ]


def test_a_key_given_twice_inside_a_value_is_named(record, monkeypatch):
    lines = lines_of(record)
    late = len(lines) - 100
    lines[late] = lines[late].replace(b'{"b":null}', b'{"b":1,"b":null}', 1)  # the value read is the same
    write(record, lines)
    assert "gives the key 'b' twice" in both(record, monkeypatch).problems[0]


def test_an_unfinished_save_at_the_end_of_a_long_journal_is_a_warning(record, monkeypatch):
    lines = lines_of(record)
    torn = json.loads(lines[-1])
    torn.update(seq=torn["seq"] + 1, prev=torn["hash"], txn=[1, 2])
    torn["hash"] = journal_entry_hash(torn)
    with journal(record).open("ab") as file:
        file.write(line_text(torn) + b"\n" + b'{"table":"members","rec')
    report = both(record, monkeypatch)
    assert report.ok, report.problems
    assert report.warnings[0].startswith("the journal ends with ")


def test_a_line_that_is_not_json_late_in_a_long_journal_is_named(record, monkeypatch):
    lines = lines_of(record)
    lines.insert(len(lines) - 50, b"\x00\x00\x00")
    write(record, lines)
    assert "is not a JSON entry" in both(record, monkeypatch).problems[0]


def test_a_pinned_head_is_checked_in_parallel(record, monkeypatch):
    entry = json.loads(lines_of(record)[-1000])
    assert both(record, monkeypatch, (entry["seq"], entry["hash"])).ok
    report = both(record, monkeypatch, (entry["seq"], "ab" * 32))
    assert report.problems[0].startswith(f"journal entry {entry['seq']} no longer has the pinned hash")


def test_a_wrong_guess_of_the_keys_costs_time_not_a_finding(record, monkeypatch):
    """The workers check each signature against the key the author most probably had; where that is not
    the key the replay finds, this process checks it again."""
    other = SigningKey(Ed25519PrivateKey.generate()).public.text
    monkeypatch.setattr(verify_module, "_key_plan", lambda parts: {Actor.from_process().login: [(0, other)]})
    report = both(record, monkeypatch)
    assert report.ok and report.signed == len(lines_of(record))


def _worker_dies(*args):
    os._exit(3)


def test_a_worker_that_dies_leaves_its_lines_to_this_process(record, monkeypatch):
    monkeypatch.setattr(lines_check, "check_range", _worker_dies)
    report = both(record, monkeypatch)
    assert report.ok and report.signed == len(lines_of(record))


KILLED_VERIFY = r"""
import importlib, sys, time
lines = importlib.import_module("supervisor_tui.storage._verify_lines")
check = lines.check_range
def slow(*args):
    time.sleep(0.2)  # long enough to be killed in the middle
    return check(*args)
lines.check_range = slow
from supervisor_tui.storage import verify_record
verify_record(sys.argv[1])
"""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the workers through /proc")
def test_a_verify_killed_leaves_no_worker_behind(record):
    """kill -9 (or the OOM killer) gives a process no chance to stop its workers: the kernel must."""
    from .conftest import ROOT, _env

    child = subprocess.Popen([sys.executable, "-c", KILLED_VERIFY, str(record)], cwd=ROOT, env=_env())
    try:
        deadline = time.monotonic() + 60
        while not (workers := _children(child.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert workers, "verify started no workers"
        time.sleep(0.3)
    finally:
        child.kill()
        child.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended: only its exit status waits to be read


def test_the_journal_is_the_live_file_alone_until_a_seal(record):
    file = LockedFile(record)
    chain = verify_module.journal_files(file, Journal.beside(file))
    assert [j.path for j in chain.journals] == [journal(record)]


# -- sealed segments: several files, one chain ----------------------------------------------------------------
@pytest.fixture
def sealed(tmp_path, monkeypatch) -> Path:
    """test_seal's record, sealed: a segment's journal, then the live journal; checked in parallel from a few
    lines on, in chunks of a few lines, so that chunks and workers meet both files."""
    from .test_seal import CUT_OFF, UNTIL, build

    path = tmp_path / "team.json"
    store, _clock, shifts = build(path)
    store.seal(CUT_OFF, UNTIL, {"shifts": shifts}, "yearly seal")
    monkeypatch.setattr(verify_module, "CHUNK_BYTES", 700)
    return path


def segment(path: Path) -> Path:
    return path.parent / "team.sealed" / "0001.journal"


def rewrite(file: Path, change) -> None:
    os.chmod(file, 0o600)  # a segment is read-only: to the app, not to someone editing it
    lines = file.read_bytes().split(b"\n")[:-1]
    change(lines)
    file.write_bytes(b"".join(line + b"\n" for line in lines))


def test_a_sealed_record_verifies_in_parallel_as_one_chain(sealed, monkeypatch):
    report = both(sealed, monkeypatch, parallel_from=5)
    assert report.ok, report.problems
    assert any("sealed segment 1" in note for note in report.notes)


@pytest.mark.parametrize("where", ["segment", "live"])
def test_a_line_edited_in_either_file_is_named_with_its_file(sealed, monkeypatch, where):
    file = segment(sealed) if where == "segment" else journal(sealed)

    def edit(lines):
        entry = json.loads(lines[2])
        entry["at"] = "2030-01-01T00:00:00.000000Z"
        lines[2] = line_text(entry)

    rewrite(file, edit)
    report = both(sealed, monkeypatch, parallel_from=5)
    assert report.problems[0].startswith(f"The journal {file} is damaged: the line at byte ")
    assert "has a hash that does not match its contents" in report.problems[0]


def test_the_live_journal_cut_from_its_segment_is_named(sealed, monkeypatch):
    rewrite(journal(sealed), lambda lines: lines.pop(0))
    report = both(sealed, monkeypatch, parallel_from=5)
    assert report.problems[0].startswith(f"The journal {journal(sealed)} is damaged: the line at byte 0 ")


@pytest.mark.parametrize("tail", [b'{"table":"shi', b"\x00\x00\x00\n"])
def test_an_unfinished_end_of_a_segment_is_read_as_the_store_reads_it(sealed, monkeypatch, tail):
    with segment(sealed).open("ab") as file:
        file.write(tail)
    both(sealed, monkeypatch, parallel_from=5)  # whatever the finding, the same in parallel and alone


# -- the canonical form, faster and the same bytes --------------------------------------------------------
AWKWARD = [
    "",
    "plain",
    "üñí©ødé ☃ 😀 \U0010ffff",
    "\u2028 and \u2029",  # line separators JavaScript chokes on: json.dumps leaves them be
    'a "quote" and a back\\slash and a /slash',
    "".join(chr(c) for c in range(0x20)) + "\x7f\x80\x9f",  # every control character
    0,
    -1,
    2**63,
    -(2**100),
    10**300,
    0.0,
    -0.0,
    1.5,
    0.1 + 0.2,
    1e22,
    1e-7,
    5e-324,
    1.7976931348623157e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    True,
    False,
    None,
    [],
    {},
    [1, [2, [3, {"z": 1, "a": [True, None]}]]],
    {"b": 1, "a": 2, "é": 3, "E": 4, "\u2028": 5, "": 6, "10": 7, "9": 8},
    {"d": "0" * 64, "v": {"nested": ["x", 1.0, 1]}, "s": "ab" * 16},
]


def _random_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return "".join(
            chr(rng.choice([rng.randrange(0x80), rng.randrange(0xD7FF), rng.randrange(0xE000, 0x110000)]))
            for _ in range(rng.randrange(12))
        )
    if kind == 1:
        return rng.choice([rng.randrange(-(10**6), 10**6), rng.getrandbits(200) - 2**199])
    if kind == 2:
        return rng.choice(
            [
                rng.uniform(-1e6, 1e6),
                rng.random() * 10 ** rng.randrange(-320, 308),
                math.ldexp(1, rng.randrange(-1074, 1023)),
            ]
        )
    if kind in (3, 4, 5):
        return rng.choice([True, False, None, "x", 0])
    if kind in (6, 7):
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    return {
        _random_value(rng, 4) if rng.random() < 0.3 else f"k{rng.randrange(50)}": _random_value(rng, depth + 1)
        for _ in range(rng.randrange(5))
    }


def _as_key(value) -> str:
    return value if isinstance(value, str) else str(value)


def _fast_forms(value) -> list[bytes]:
    forms = [lines_check.canonical(value), lines_check._canonical_value(value)]
    if isinstance(value, dict):
        forms.append(lines_check.canonical_dict(value))
    return forms


@pytest.mark.parametrize("value", AWKWARD, ids=repr)
def test_the_fast_canonical_form_is_byte_for_byte_the_canonical_form(value):
    expected = canonical(value)
    assert expected == json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert _fast_forms(value) == [expected] * len(_fast_forms(value))
    assert _fast_forms([value, {"k": value}]) == [canonical([value, {"k": value}])] * 2


def test_the_fast_canonical_form_matches_on_random_values():
    rng = random.Random(13)
    for _ in range(3000):
        value = _random_value(rng)
        if isinstance(value, dict):
            value = {_as_key(k): v for k, v in value.items()}
        try:
            expected = canonical(value)
        except (UnicodeEncodeError, TypeError) as exc:
            for form in (lines_check.canonical, lines_check._canonical_value):
                with pytest.raises(type(exc)):
                    form(value)
            continue
        assert set(_fast_forms(value)) == {expected}, value


@pytest.mark.parametrize("value", ["\ud800", "\ud83d\ude00", ["ok", "\udfff"], {"k": "a\udc80"}, {"\ud800": 1}])
def test_a_lone_surrogate_fails_the_fast_canonical_form_as_it_fails_the_canonical_form(value):
    with pytest.raises(UnicodeEncodeError):
        canonical(value)
    for form in (lines_check.canonical, lines_check._canonical_value):
        with pytest.raises(UnicodeEncodeError):
            form(value)


def test_big_integers_fail_alike():
    huge = 10**5000  # past the digits Python converts to text by default
    for form in (canonical, lines_check.canonical, lines_check._canonical_value):
        with pytest.raises(ValueError):
            form(huge)


# -- the fast proof of a line implies the original checks ------------------------------------------------
def _mutants(entry: dict, rng: random.Random) -> list[dict]:
    """Edits of one entry, rehashed or not: the fast proof may refuse any of them, but must never accept
    one the original checks refuse."""
    out = []
    for _ in range(40):
        e = json.loads(json.dumps(entry))
        refs = list(_value_refs(e))
        what = rng.randrange(12)
        if what == 0 and refs:
            rng.choice(refs)[1]["v"] = rng.choice(["x", 1, 1.0, True, None, [1], {"a": 1}])
        elif what == 1 and refs:
            rng.choice(refs)[1]["d"] = rng.choice(["0" * 64, "A" * 64, "0" * 63, 5])
        elif what == 2 and refs:
            rng.choice(refs)[1]["s"] = rng.choice(["zz", "", 3, "00 11"])
        elif what == 3 and refs:
            ref = rng.choice(refs)[1]
            ref.pop(rng.choice(["v", "s"]))
        elif what == 4:
            e["txn"] = rng.choice([[1], [0, 1], [2, 1], [True, 1], ["1", 1], None, [1, 1.0]])
        elif what == 5:
            e["seq"] = rng.choice([True, 1.0, "1", None])
        elif what == 6:
            e[rng.choice(["d", "extra", "z"])] = rng.choice([{"d": "0" * 64}, [{"a": 1}], seal_value(1), {"x": [1]}])
        elif what == 7:
            e["changes"][rng.choice(list(e["changes"]))] = rng.choice([[None], [None, None], "x", [seal_value(1), 5]])
        elif what == 8:
            e["reason"] = rng.choice([{"d": "0" * 64, "v": 1}, "why", [1], seal_value(float("nan"))])
        elif what == 9:
            e["changes"] = rng.choice([[], None, {"d": [None, seal_value(1)]}])
        elif what == 10 and refs:
            rng.choice(refs)[1]["v"] = "\ud800"
        else:
            e["actor"] = "mallory"
        if rng.random() < 0.7:
            try:
                e["hash"] = journal_entry_hash(e)
            except (TypeError, ValueError, RecursionError):
                pass
        out.append(e)
    return out


def _original_local_checks(entry) -> bool:
    """The checks of entry_problem that need no line before: what a fast proof stands in for."""
    if not isinstance(entry, dict):
        return False
    seq, txn = entry.get("seq"), entry.get("txn")
    if type(seq) is not int or not isinstance(txn, list) or len(txn) != 2:
        return False
    # Give it the link and the open transaction that make seq, prev and txn right: what is left is local.
    link = (seq - 1, entry.get("prev"))
    open_txn = (txn[0] - 1, txn[1]) if isinstance(txn[0], int) and txn[0] > 1 else None
    return entry_problem(entry, link, open_txn) is None


def _keys_in(obj) -> int:
    if isinstance(obj, dict):
        return len(obj) + sum(_keys_in(v) for v in obj.values())
    if isinstance(obj, list):
        return sum(_keys_in(v) for v in obj)
    return 0


def test_a_fast_proof_of_a_line_implies_the_original_checks(long_record):
    rng = random.Random(5)
    sample = [json.loads(line) for line in rng.sample(lines_of(long_record), 40)]
    proved = refused = 0
    for entry in sample + [m for e in sample[:15] for m in _mutants(e, rng)]:
        keys = lines_check._proved_keys(entry)
        if keys is None:
            refused += 1
            continue
        proved += 1
        assert _original_local_checks(entry), entry
        assert entry["hash"] == journal_entry_hash(entry)
        for _where, ref in _value_refs(entry):
            value_digest(ref)  # raises where a value does not match its digest
        assert keys == _keys_in(entry)
    assert proved >= 40 and refused >= 200  # the sample is proved, most edits are not


@pytest.mark.parametrize(
    "line, key",
    [
        (b'{"a":1,"a":2}', "a"),
        (b'{"a":{"b":1,"b":1}}', "b"),
        (b'{"a":[{"b":1},{"c":1,"c":2}]}', "c"),
        (b'{"a":1,"\\u0061":2}', "a"),
        (b'{"a" :1,"a":2}', "a"),
        (b'{"a"\t:1,"a":2}', "a"),
        (b'{"a"\r:1,"a":2}', "a"),
        (b'{"a"\n:1,"a":2}', "a"),
        (b'{\n  "a": 1,\n  "a": 2\n}', "a"),
        (b'{"x":"\\":","a":1,"a":2}', "a"),
        (b'{"a":1,"b":2}', None),
        (b'{"a":"x\\" :y","b":2}', None),
    ],
)
def test_a_key_given_twice_is_found_however_the_line_is_laid_out(line, key):
    entry = json.loads(line)
    assert lines_check.first_duplicate_key(line) == key
    # the snapshot's check, given the parse it already has, counts before it looks closer
    assert duplicate_keys(line, entry) == ([key] if key else [])
    assert count_keys(entry) == _keys_in(entry)
    if key is not None:
        assert not writes_no_key_twice(line, _keys_in(entry))


# -- signatures: libsodium first, OpenSSL's answer always ----------------------------------------------------
ORDER = 2**252 + 27742317777372353535851937790883648493  # the order of the Ed25519 base point


def _signatures() -> list[tuple[str, str, str]]:
    """(key, hash, signature) triples OpenSSL accepts or refuses, the awkward ones included."""
    key = SigningKey(Ed25519PrivateKey.generate())
    other = SigningKey(Ed25519PrivateKey.generate())
    digest = "ab" * 32
    good = key.sign(digest.encode("ascii"))
    raw = base64.b64decode(good)
    s = int.from_bytes(raw[32:], "little")
    malleated = raw[:32] + (s + ORDER).to_bytes(32, "little")  # the same point, S not reduced
    identity = (1).to_bytes(32, "little")  # the neutral point: a small-order key, and a small-order R
    cases = [
        (key.public.text, digest, good),
        (key.public.text, "cd" * 32, good),
        (other.public.text, digest, good),
        (key.public.text, digest, base64.b64encode(malleated).decode()),
        (key.public.text, digest, base64.b64encode(identity + raw[32:]).decode()),
        (key.public.text, digest, base64.b64encode(bytes(64)).decode()),
        (key.public.text, digest, base64.b64encode(raw[:63]).decode()),
        (key.public.text, digest, "not base64!"),
        (key.public.text, digest, ""),
        (base64.b64encode(identity).decode(), digest, base64.b64encode(identity + bytes(32)).decode()),
        (base64.b64encode(bytes([0xFF] * 31 + [0x7F])).decode(), digest, good),  # y not reduced: not a key
        ("bm90IGEga2V5", digest, good),
    ]
    rng = random.Random(3)
    cases += [(key.public.text, digest, base64.b64encode(rng.randbytes(64)).decode()) for _ in range(20)]
    return cases


@pytest.mark.parametrize("sodium", [True, False], ids=["libsodium first", "OpenSSL alone"])
def test_a_signature_verifies_exactly_when_openssl_says_so(monkeypatch, sodium):
    if not sodium:
        monkeypatch.setattr(lines_check, "_sodium_open", None)
    elif lines_check._sodium_open is None:
        pytest.skip("PyNaCl is not installed")
    for key, digest, sig in _signatures():
        try:
            expected = PublicKey.parse(key).verifies(digest.encode("ascii"), sig)
        except ValueError:
            expected = False
        assert lines_check.verifies(key, digest, sig) is expected, (key, sig)
