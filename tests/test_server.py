"""`annotate server start|stop|status` with a real Label Studio."""

import stat

import httpx

from annotate.io.settings import read_env_file

from .conftest import run_cli, start_server


def test_server_start_wrote_env_file_and_answers(ls_server):
    if not ls_server["started"]:
        # LABEL_STUDIO_URL was given: start one here so `server start` itself is still tested.
        folder = ls_server["folder"]
        result = start_server(folder, env_file="own.env")
        assert result.returncode == 0, result.stderr
        env_file, data_dir = folder / "own.env", folder / "data"
    else:
        result = None
        env_file, data_dir = ls_server["env_file"], ls_server["data_dir"]
    env = read_env_file(env_file)
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert env["LABEL_STUDIO_URL"].startswith("http://localhost:")
    assert len(env["LABEL_STUDIO_API_KEY"]) == 40
    response = httpx.get(
        f"{env['LABEL_STUDIO_URL']}/api/current-user/whoami",
        headers={"Authorization": f"Token {env['LABEL_STUDIO_API_KEY']}"},
    )
    assert response.status_code == 200
    assert response.json()["email"] == env["LABEL_STUDIO_USERNAME"]
    output = ls_server.get("start_output") or result.stdout
    assert env["LABEL_STUDIO_API_KEY"] not in output
    assert env["LABEL_STUDIO_API_KEY"] not in (data_dir / "server.log").read_text(errors="replace")

    status = run_cli("server", "status", "--data-dir", str(data_dir), "--env-file", str(env_file))
    assert status.returncode == 0 and "healthy" in status.stdout

    # a second start finds it running instead of starting another
    again = run_cli(
        "server",
        "start",
        "--data-dir",
        str(data_dir),
        "--env-file",
        str(env_file),
        "--port",
        env["LABEL_STUDIO_URL"].rsplit(":", 1)[1],
    )
    assert again.returncode == 0 and "already running" in again.stdout


def test_server_binds_loopback_only_unless_public(tmp_path):
    result = run_cli(
        "server", "start", "--host", "0.0.0.0", "--data-dir", str(tmp_path / "d"), "--env-file", str(tmp_path / ".env")
    )
    assert result.returncode == 1 and "Refusing to bind Label Studio to 0.0.0.0" in result.stderr
    assert not (tmp_path / ".env").exists() and not (tmp_path / "d").exists()


def test_status_of_a_stopped_server(tmp_path):
    result = run_cli("server", "status", "--data-dir", str(tmp_path / "none"), "--env-file", str(tmp_path / ".env"))
    assert result.returncode == 1 and "not answering" in result.stdout
