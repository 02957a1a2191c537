"""/staff/tasks: admins see the tasks that failed for good and dismiss them (audited)."""

from __future__ import annotations

from sqlalchemy import select

from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.queue import FailedTask
from goldendreams.extensions import db


def failed(name: str = "goldendreams.core.mail.deliver") -> FailedTask:
    task = FailedTask(task_name=name, task_id="abc", error="SMTPDataError: (451, b'later')")
    db.session.add(task)
    db.session.commit()
    return task


def test_admins_see_failed_tasks_and_dismiss_them(client, login_as):
    admin = login_as(Role.ADMIN)
    task, other = failed(), failed("goldendreams.jobs.tasks.purge_applications")
    page = client.get("/staff/tasks").get_data(as_text=True)
    assert "goldendreams.core.mail.deliver" in page and "purge_applications" in page
    assert "SMTPDataError" in page
    assert "/staff/tasks" in client.get("/staff/").get_data(as_text=True)

    response = client.post("/staff/tasks/dismiss", data={"task_id": str(task.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(FailedTask, task.id).dismissed_at is not None
    assert db.session.get(FailedTask, other.id).dismissed_at is None
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "task.dismissed"))
    assert (entry.actor_id, entry.target_id) == (admin.id, task.id)
    assert entry.target_type == "failed_task"
    page = client.get("/staff/tasks").get_data(as_text=True)
    assert "goldendreams.core.mail.deliver" not in page and "purge_applications" in page

    # Twice, or a task that does not exist: 404; no task named: 400.
    assert client.post("/staff/tasks/dismiss", data={"task_id": str(task.id)}).status_code == 404
    assert client.post("/staff/tasks/dismiss", data={"task_id": "999999"}).status_code == 404
    assert client.post("/staff/tasks/dismiss", data={"task_id": "9" * 30}).status_code == 404
    assert client.post("/staff/tasks/dismiss", data={"task_id": "x"}).status_code == 404
    assert client.post("/staff/tasks/dismiss", data={}).status_code == 400


def test_an_empty_list_says_so(client, login_as):
    login_as(Role.ADMIN)
    assert "No task has failed." in client.get("/staff/tasks").get_data(as_text=True)


def test_other_staff_neither_see_nor_dismiss(client, login_as):
    login_as(Role.MODERATOR)
    task = failed()
    assert client.get("/staff/tasks").status_code == 403
    assert client.post("/staff/tasks/dismiss", data={"task_id": str(task.id)}).status_code == 403
    assert "/staff/tasks" not in client.get("/staff/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FailedTask, task.id).dismissed_at is None
