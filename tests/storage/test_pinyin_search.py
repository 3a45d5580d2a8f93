"""Issue 15: patients found by the pinyin of a Chinese name (full syllables, initials,
mixed with characters) as well as by its characters; a schema 3 database gains the
pinyin keys when migrated to schema 4, in one transaction, and still verifies."""

from __future__ import annotations

import dataclasses
import os
import secrets
import sqlite3
import subprocess
import sys
import unicodedata
from datetime import date
from importlib.util import find_spec
from pathlib import Path

import pytest
from sqlite_utils import Database

from clinical.accounts import Role
from clinical.pinyin import han_runs, has_han, pinyin_forms, query_pinyin, syllables
from clinical.record import Lab, LabTest, Patient, Sex
from storage.accounts import CURRENT
from storage.audit import AuditLog, verify_chain
from storage.codec import to_row
from storage.integrity import verify_database
from tests.storage.conftest import verified
from storage.migrations import MIGRATIONS, SCHEMA_VERSION
from storage.repository import SqliteStore, search_condition, search_key

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"P-1": "张伟", "P-2": "章伟", "P-3": "赵伟", "P-4": "王芳", "P-5": "李小明",
         "P-6": "John Smith", "P-7": "曾伟", "P-8": "吕芳", "P-9": "Zhang 伟"}


@pytest.fixture
def ward(store: SqliteStore) -> SqliteStore:
    for mrn, name in NAMES.items():
        store.patients.add(Patient(mrn=mrn, name=name, sex=Sex.MALE, diagnosis="B-ALL"))
    return store


def found(store: SqliteStore, query: str) -> list[str]:
    return [p.name for p in store.patients.list(query)]


# --- the pinyin forms ----------------------------------------------------------------------


def test_pinyin_forms_of_a_name() -> None:
    assert pinyin_forms("张伟") == ("zhangwei", "zw")
    assert pinyin_forms("张 伟") == ("zhangwei", "zw")       # separators do not count
    assert pinyin_forms("欧阳娜娜") == ("ouyangnana", "oynn")
    assert pinyin_forms("阿卜杜·买买提") == ("abodumaimaiti", "abdmmt")
    assert pinyin_forms("John Smith") == ()                   # nothing to add
    assert pinyin_forms("") == ()


def test_readings_common_for_characters_surname_for_the_first() -> None:
    assert syllables("曾伟") == ["zeng", "wei"]       # the surname, not céng
    assert syllables("伟曾") == ["wei", "ceng"]       # elsewhere the common reading
    assert syllables("单田芳") == ["shan", "tian", "fang"]
    assert syllables("尉迟恭") == ["yu", "chi", "gong"]
    assert pinyin_forms("吕芳") == ("lvfang", "lf", "lufang")   # ü typed v, or u


def test_queries_turned_into_pinyin() -> None:
    assert query_pinyin("张w") == "zhangw"
    assert query_pinyin("zhang伟") == "zhangwei"
    assert query_pinyin("Zhang Wei") == "zhangwei"
    assert han_runs("张w伟") == ["张", "伟"]
    assert has_han("Ｚ张") and not has_han("Müller") and not has_han("")


def test_the_stored_key_keeps_the_text_and_adds_the_pinyin() -> None:
    assert search_key("P-1", "张伟") == "p-1 张伟\tzhangwei\tzw"
    assert search_key("P-6", "John SMITH") == "p-6 john smith"   # as before issue 15


# --- searching ----------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "names"), [
    ("zhang", ["张伟", "章伟", "Zhang 伟"]),           # full syllable
    ("ZHANG", ["张伟", "章伟", "Zhang 伟"]),
    ("zhangwei", ["张伟", "章伟", "Zhang 伟"]),
    ("zhangw", ["张伟", "章伟", "Zhang 伟"]),           # full, then the start of the next
    ("zw", ["张伟", "章伟", "赵伟", "曾伟", "Zhang 伟"]),   # initials
    ("lxm", ["李小明"]),
    ("xiaoming", ["李小明"]),
    ("zhang wei", ["张伟", "章伟", "Zhang 伟"]),        # syllables with a space
    ("张", ["张伟"]),                                   # characters: 章 is not 张
    ("张伟", ["张伟"]),
    ("伟", ["张伟", "章伟", "赵伟", "曾伟", "Zhang 伟"]),
    ("张w", ["张伟"]),                                  # mixed: the character must be there
    ("张 w", ["张伟"]),
    ("zhang伟", ["张伟", "章伟", "Zhang 伟"]),
    ("张 伟", ["张伟"]),
    ("zeng", ["曾伟"]),
    ("lv", ["吕芳"]),
    ("lu", ["吕芳"]),
    ("smith", ["John Smith"]),
    ("john smith", ["John Smith"]),
    ("p-5", ["李小明"]),                                # the MRN as before
])
def test_search_finds(ward: SqliteStore, query: str, names: list[str]) -> None:
    assert found(ward, query) == names


@pytest.mark.parametrize("query", ["zx", "zhangx", "wz", "zhangwang", "张x", "zhang芳",
                                   "zhangwei zw", "wei\tzw", "ceng", "%", "_"])
def test_search_finds_no_one_else(ward: SqliteStore, query: str) -> None:
    assert "张伟" not in found(ward, query)


def test_every_query_is_one_condition_on_the_key() -> None:
    for query in ("", "zw", "张", "张w", "zhang wei", "SYN-01"):
        sql, params = search_condition(query)
        assert sql.count("?") == len(params)


def test_the_key_follows_a_renamed_patient(ward: SqliteStore) -> None:
    patient = ward.patients.get_by_mrn("P-6")
    ward.patients.update(dataclasses.replace(patient, name="黄蓉"))
    assert found(ward, "hr") == ["黄蓉"] and found(ward, "smith") == []
    assert verified(ward)


def test_pypinyin_stays_off_the_start_up_path(tmp_path: Path) -> None:
    """Imported at the first Chinese name written or searched; never before."""
    modules = ["main", "storage.repository"] + (["gui.app"] if find_spec("PySide6") else [])
    script = (f"import sys\nimport {', '.join(modules)}\n"
              "from clinical.record import Patient\n"
              "from storage.repository import SqliteStore\n"
              f"store = SqliteStore({str(tmp_path / 'w.db')!r}, user='t')\n"
              "store.patients.add(Patient(mrn='E-1', name='John Smith', diagnosis='AML'))\n"
              "assert [p.name for p in store.patients.list('smith')] == ['John Smith']\n"
              "assert 'pypinyin' not in sys.modules, 'pypinyin imported at start-up'\n"
              "store.patients.list('张w')\n"
              "assert 'pypinyin' in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr


# --- migration 4 on a schema 3 database ---------------------------------------------------


def _old_key(*parts: str) -> str:
    """search_key as hemalog computed it before schema 4."""
    return unicodedata.normalize("NFKC", " ".join(parts)).casefold()


def schema_3_file(path: Path, names: dict[str, str]) -> None:
    """A file as hemalog wrote it at schema 3: an admin, patients with the keys of then,
    a lab, and their audit rows (with the workstation, chained)."""
    db = Database(sqlite3.connect(path))
    for migration in MIGRATIONS[:3]:
        migration(db)
    db.conn.execute("PRAGMA user_version = 3")
    audit = AuditLog(db, "old.admin", "ward-3-pc")
    audit.software = None   # schema 3 rows had no software column
    salt = secrets.token_bytes(16)
    db["users"].insert({"id": 1, "username": "old.admin", "display_name": "Old Admin",
                        "role": "admin", "salt": salt.hex(),
                        "password_hash": CURRENT.hash("old-pass-123", salt),
                        "created_at": "2025-01-01T00:00:00.000Z", "disabled": 0, "version": 1,
                        "hash_params": str(CURRENT)})
    entries: list[tuple[object, ...]] = [
        (None, "users", 1, "insert", None, {"username": "old.admin", "role": "admin"}, None)]
    rows = [{**to_row(Patient(mrn=mrn, name=name, diagnosis="AML")), "id": i,
             "search_key": _old_key(mrn, name), "version": 1, "voided": 0}
            for i, (mrn, name) in enumerate(names.items(), start=1)]
    db.conn.executemany(f"INSERT INTO patients ({', '.join(rows[0])}) "
                        f"VALUES ({', '.join('?' * len(rows[0]))})",
                        [list(row.values()) for row in rows])
    entries += [(row["id"], "patients", row["id"], "insert", None, row, None) for row in rows]
    lab = {**to_row(Lab(date=date(2025, 1, 2), test=LabTest.HB, value=90, unit="g/L")),
           "id": 1, "patient_id": 1, "seq": 1, "version": 1, "voided": 0}
    db["labs"].insert(lab)
    entries.append((1, "labs", 1, "insert", None, lab, None))
    audit.append_many(entries)
    db.conn.commit()
    db.close()


def test_migration_4_gives_existing_patients_pinyin_keys(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    schema_3_file(path, NAMES)
    assert verify_database(path).ok
    with SqliteStore(path, user="os-user", read_only=True) as reading:   # read as it is
        reading.sign_in(reading.accounts.list()[0])
        assert found(reading, "张") == ["张伟"] and found(reading, "zw") == []
    with SqliteStore(path, user="os-user") as store:
        conn = store.db.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
        keys = dict(conn.execute("SELECT mrn, search_key FROM patients"))
        assert keys == {mrn: search_key(mrn, name) for mrn, name in NAMES.items()}
        admin = store.accounts.sign_in("old.admin", "old-pass-123")   # accounts still work
        assert (admin.username, admin.role, admin.language) == ("old.admin", Role.ADMIN, None)
        store.sign_in(admin)
        assert found(store, "zw") == ["张伟", "章伟", "赵伟", "曾伟", "Zhang 伟"]
        assert found(store, "张w") == ["张伟"] and found(store, "smith") == ["John Smith"]
        assert store.accounts.set_language("old.admin", "zh_CN").language == "zh_CN"
        rows, bad, _ = verify_chain(store.db)
        assert bad is None and rows == len(NAMES) + 3   # account, patients, lab, language
    result = verify_database(path)
    assert result.ok, result.lines()


def test_migration_4_is_one_transaction(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure part-way through the keys leaves the file as it was: schema 3."""
    path = tmp_path / "v3.db"
    schema_3_file(path, NAMES)
    import storage.repository as repository

    seen: list[str] = []

    def failing(*parts: str) -> str:
        seen.append(parts[0])
        if len(seen) == 3:
            raise RuntimeError("disk gone")
        return search_key(*parts)

    monkeypatch.setattr(repository, "search_key", failing)
    with pytest.raises(RuntimeError, match="disk gone"):
        SqliteStore(path, user="os-user")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
        assert "language" not in {r[1] for r in conn.execute("PRAGMA table_info(users)")}
        assert dict(conn.execute("SELECT mrn, search_key FROM patients")) == {
            mrn: _old_key(mrn, name) for mrn, name in NAMES.items()}
    finally:
        conn.close()


def test_migration_4_at_ward_scale(tmp_path: Path) -> None:
    """Thousands of patients: every key recomputed in the one migration."""
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳敏静丽强磊军洋勇"
    names = {f"W-{i:05d}": surnames[i % 10] + given[i // 10 % 10] + given[i // 100 % 10]
             for i in range(3000)}
    path = tmp_path / "ward.db"
    schema_3_file(path, names)
    with SqliteStore(path, user="os-user") as store:
        store.sign_in(store.accounts.list()[0])
        missing = store.db.conn.execute(
            "SELECT count(*) FROM patients WHERE search_key NOT LIKE '%' || char(9) || '%'"
        ).fetchone()[0]
        assert missing == 0
        assert len(found(store, "zhangw")) == 30     # 张 + 伟 + any: 3000/10/10
