"""The in-memory index (tests' SEARCH_INDEX_PATH=":memory:") keeps its writers' temporary
files in a folder of its own process: two test runs at once never share one."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from whoosh.filedb.filestore import FileStorage

from goldendreams.config import PROJECT_ROOT
from goldendreams.search.backends import State, Update
from goldendreams.search.backends.whoosh import WhooshBackend, process_temp_folder
from goldendreams.search.documents import Document

SHOW_FOLDER = (
    "from goldendreams.search.backends.whoosh import process_temp_folder;"
    "import os; folder = process_temp_folder(); print(folder, os.path.isdir(folder))"
)


def test_a_memory_index_writes_its_temporary_files_in_this_process_folder(monkeypatch):
    created: list[str] = []
    create = FileStorage.create

    def spy(self):
        created.append(self.folder)
        return create(self)

    monkeypatch.setattr(FileStorage, "create", spy)
    backend = WhooshBackend(None)
    document = Document("organisation", 1, None, ("TH",), "Golden Prawn", "Songkhla")
    assert backend.update(lambda state: Update([document], [], State(1)))
    assert created, "the writer made no temporary storage"
    own = process_temp_folder()
    for folder in created:
        assert os.path.commonpath([own, folder]) == own
        assert folder != os.path.join(tempfile.gettempdir(), "MAIN.tmp")


def test_each_process_has_its_own_folder_removed_at_exit():
    runs = [
        subprocess.run(
            [sys.executable, "-c", SHOW_FOLDER],
            capture_output=True,
            text=True,
            check=True,
            cwd=PROJECT_ROOT,
        ).stdout.split()
        for _ in range(2)
    ]
    (first, first_existed), (second, second_existed) = runs
    assert first != second and first_existed == second_existed == "True"
    assert not os.path.exists(first) and not os.path.exists(second)
    assert first != process_temp_folder() != second
