"""`make demo`'s overdue red alert escalates while `xinshao serve` runs, with no other process started."""
import sqlite3
import subprocess

from xinshao.core.tests.test_background_jobs import _free_port, _wait_for
from xinshao.core.tests.test_serve_workers import BIN, _environment


def test_the_demo_red_alert_past_its_deadline_escalates_while_the_server_runs(tmp_path):
    env = _environment(tmp_path)
    subprocess.run([BIN / "xinshao", "migrate", "-v0"], env=env, check=True, timeout=120)
    subprocess.run([BIN / "xinshao", "seed-demo", "--students", "300"], env=env, check=True, timeout=300,
                   capture_output=True)
    database = tmp_path / "xinshao.sqlite3"
    overdue = ("select a.id from alerts_alert a where a.level = 'red' and a.state = 'new' "
               "and a.escalation_step = 0 and a.ack_due_at < datetime('now')")
    with sqlite3.connect(database) as db:
        alert_ids = [row[0] for row in db.execute(overdue)]
    assert len(alert_ids) == 1, "the demo seeds one red alert already past its deadline"

    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([BIN / "xinshao", "serve", "--port", str(_free_port())], env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        escalated = ("select e.detail from alerts_alertevent e where e.kind = 'escalated' and e.alert_id = ?")
        with sqlite3.connect(database) as db:
            assert _wait_for(lambda: db.execute(escalated, alert_ids).fetchall(), 60), log.read_text()
            step, leader_told = db.execute(
                "select a.escalation_step, (select count(*) from notifications_notification n "
                " join accounts_user u on u.id = n.recipient_id where u.username = 's001.admin' "
                " and n.link = '/alerts/' || a.id || '/') from alerts_alert a where a.id = ?", alert_ids).fetchone()
        assert step == 1 and leader_told == 1
    finally:
        server.terminate()
        server.wait(timeout=20)
