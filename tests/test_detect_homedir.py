"""Login names in home-directory paths and shell prompts (USERNAME): the name segment is found in
every layout code and logs write, and only it; service accounts, placeholders, web paths and prose
about home directories are kept (docs/detection.md, "Home directories and shell prompts")."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrubber.api import load_pipeline
from scrubber.detect.stage import DetectStage
from scrubber.records import Batch
from tests.detect_helpers import edited_rules, found, logins


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # Linux: a stack trace, an assignment, the end of a line, a file URL, scp's remote path
        ('  File "/home/mkowalski/projects/etl/run.py", line 12, in <module>', ["mkowalski"]),
        ("export HOME=/home/jsmith", ["jsmith"]),
        ("cd /home/jsmith\nls", ["jsmith"]),
        ("open file:///home/jsmith/report.html", ["jsmith"]),
        ("scp data.csv backup:/home/pkumar/data/", ["pkumar"]),
        ("ls /home/jsmith.", ["jsmith"]),  # a sentence's full stop is no part of the name
        ("(see /home/jsmith)", ["jsmith"]),
        ("/export/home/pkumar/bin/tool --help", ["pkumar"]),  # a home under another mount
        ("You have new mail in /var/mail/jsmith", ["jsmith"]),
        ("mbox: /var/spool/mail/jsmith", ["jsmith"]),
        # macOS: first.last, and Linux's home of a user with digits and a hyphen
        ("/Users/rebecca.lindqvist/Library/Caches/pip/wheels", ["rebecca.lindqvist"]),
        ("HOME=/home/a-nowak2/", ["a-nowak2"]),
        # Windows: backslashes, doubled in JSON and C strings, forward slashes, lower case, WSL,
        # Git Bash, a profile name with a space, the XP layout, a PowerShell prompt
        (r"C:\Users\jsmith\AppData\Local\Programs\Python\Python311\lib\site.py", ["jsmith"]),
        (r'{"cwd": "C:\\Users\\jsmith\\source\\repos\\app"}', ["jsmith"]),
        ("C:/Users/jsmith/Documents/report.docx", ["jsmith"]),
        (r"c:\users\jsmith\appdata\local\pip\cache", ["jsmith"]),
        ("c:/users/jsmith/x.txt", ["jsmith"]),
        ("/mnt/c/Users/jsmith/Downloads/setup.exe", ["jsmith"]),
        ("/c/Users/jsmith/src", ["jsmith"]),
        (r"C:\Users\John Smith\AppData\Roaming\npm", ["John Smith"]),
        (r"C:\Documents and Settings\jsmith\Desktop", ["jsmith"]),
        (r"PS C:\Users\mkowalski> python run.py", ["mkowalski"]),
        # ~user: a shell's and a web server's home of a user
        ("cd ~jsmith/public_html", ["jsmith"]),
        ("http://www.cs.example.edu/~jsmith/papers/", ["jsmith"]),
        # shell prompts
        ("jsmith@laptop:~$ ls -la", ["jsmith"]),
        ("(venv) jsmith@laptop:~/src/app$ pytest", ["jsmith"]),
        ("jsmith@laptop:~/src/app (main)$ git status", ["jsmith"]),
        ("[jsmith@centos7 ~]$ sudo yum install git", ["jsmith"]),
        ("jsmith@MacBook-Pro ~ % brew install x", ["jsmith"]),
        ("jsmith@DESKTOP-4K2J MINGW64 ~/src (main)\n$ ls", ["jsmith"]),
        ("mkowalski@db01.corp.lan:/var/log# tail syslog", ["mkowalski"]),
        # two in one document, each found
        ("/home/jsmith/a.py and /Users/pkumar/b.py", ["jsmith", "pkumar"]),
        # the login of a remote command or an ssh URL
        ("ssh jsmith@10.0.4.12", ["jsmith"]),
        ("scp notes.txt mkowalski@build-01:/tmp/", ["mkowalski"]),
        ("rsync -av ./ pkumar@host.internal:/data", ["pkumar"]),
        ("sftp -P 2222 jsmith@host", ["jsmith"]),
        ("git clone ssh://jsmith@git.corp.example/repo.git", ["jsmith"]),
    ],
)
def test_homedir_login_name_is_found(text: str, names: list[str]) -> None:
    assert logins(text) == names


@pytest.mark.parametrize(
    "text",
    [
        # generic, service and CI accounts (lists.home_generic_users), any case, digits after
        "/root/.bashrc and /home/ubuntu/app and /home/runner/work/x/x and /Users/runner/work",
        "/home/ec2-user/ /home/vagrant/ /home/pi/ /home/jenkins/ /home/travis/build /home/circleci/project",
        "/home/gitlab-runner/builds /home/docker/ /home/node/app /home/app/ /home/www-data/ /home/jovyan/work",
        "/home/linuxbrew/.linuxbrew/bin/brew /home/vsts/work/1/s /Users/distiller/project",
        r"C:\Users\Public\Documents C:\Users\Default\NTUSER.DAT C:\Users\Default User\x C:\Users\All Users\x",
        r"C:\Users\Administrator\Desktop C:\Users\runneradmin\AppData C:\Users\ADMIN\x C:\Users\defaultuser0\x",
        "/home/user/ /home/username/ /home/USER/ /home/user1/ /home/admin/ /home/me/ /home/you/ /Users/Shared/",
        # placeholders: symbols never start a name; names starting with `your`; repeated characters
        "/home/$USER/.config and /home/${USER}/x and /home/<user>/x and /home/{user}/x and /home/*/x",
        r"C:\Users\%USERNAME%\AppData and C:\Users\<you>\x",
        "/Users/yourname/ /home/YOUR_USER/ /home/your_username/ /home/Your-Login/ /home/xxx/ /home/XXXX/",
        # tutorial personas: a lone common first name identifies nobody (the list's comment says why)
        "/home/john/x /home/jdoe/x /home/john.doe/x /Users/jane/x /home/alice/x /home/bob/x /home/foo/x",
        # numeric uids, one letter, file names
        "/home/1000/.cache /home/x/y /home/index.html",
        # system accounts of Linux distributions and macOS: listed, or by shape (`systemd-*`, `_www`)
        "/var/mail/daemon /home/syslog/x /home/messagebus/x /home/_apt/x /Users/_www/x /home/systemd-coredump/x",
        # a web site's path is no home directory; nor a link's relative target
        "https://example.com/home/about and https://example.com/Users/jsmith and example.com/home/jsmith",
        '<a href="/home/about">Home</a> <img src="/home/logo.png"> [Contact](/home/contact)',
        "GET /api/users/jsmith HTTP/1.1 and https://api.github.com/users/jsmith",
        # prose about home directories, and the prefix alone
        "The /home/ directory holds one folder per user, and /Users/ on a Mac.",
        "Back up /home/ and /var/mail/ nightly.",
        "relative/home/jsmith/x and a~b/x and ~/.bashrc and ~~strike~~ and x ~y",
        # not prompts: git's SSH remote, an e-mail address, a percentage after an address
        "git clone git@github.com:org/repo.git",
        "ssh git@github.com:~/repo",
        "Write to jsmith@gmail.com today.",
        "root@server:~# whoami",
        "ubuntu@ip-172-31-0-5:~$ uptime",
        # remote commands with generic accounts, and an address no command is given
        "ssh root@10.0.0.1 and ssh ubuntu@ec2-host and ssh -i key.pem deploy@203.0.113.45 -p 2222",
        "Email jsmith@host about the ssh keys",  # the command word after the address
    ],
)
def test_homedir_generic_accounts_placeholders_and_look_alikes_are_kept(text: str) -> None:
    assert logins(text) == []


def test_homedir_only_the_name_is_redacted() -> None:
    """The path stays readable: the login becomes the `USER` label, every other segment stays."""
    pipeline = load_pipeline(mode="fast")
    texts = [
        'File "/home/mkowalski/projects/etl/run.py", line 12',
        r"C:\Users\jsmith\AppData\Local\Temp",
        "jsmith@laptop:~$ ls",
    ]
    assert pipeline({"text": texts})["text"] == [
        'File "/home/<USER>/projects/etl/run.py", line 12',
        r"C:\Users\<USER>\AppData\Local\Temp",
        "<USER>@laptop:~$ ls",
    ]


def test_homedir_full_mode_labels_a_name_login_username() -> None:
    """In full mode a login made of a person's name is one USERNAME span (priority 2 over PERSON)."""
    assert found(r"C:\Users\Priya Raman\Desktop", "full") == [("USERNAME", "Priya Raman")]


@pytest.mark.parametrize(
    "text",
    [
        "/home/data/x /home/backup/nightly /home/staff/ /home/projects/x /home/shared/x",
        "relative/home/jsmith/x and docs/Users/pkumar/y",
    ],
)
def test_homedir_server_folders_and_relative_paths_are_kept(text: str) -> None:
    assert logins(text) == []


def test_homedir_keep_list_is_the_users_to_edit(tmp_path: Path) -> None:
    """A login added to `lists.home_generic_users` (a team's shared build account) is kept, in any
    case, in paths and prompts alike."""
    rules = edited_rules(tmp_path, "recognizers.yaml", "home_generic_users: [root,",
                         "home_generic_users: [buildsvc, root,")
    stage = DetectStage.from_config({"mode": "fast"}, rules_dir=rules)
    docs = ["/home/buildsvc/ci/run.sh", r"C:\Users\BuildSvc\x", "buildsvc@ci-07:~$ make", "/home/jsmith/x"]
    spans = stage.run(Batch({"text": docs})).spans()
    assert [[d[s.start:s.end] for s in sp] for d, sp in zip(docs, spans, strict=True)] == [[], [], [], ["jsmith"]]


# -- other mentions of a found login (username_coref_v1) -------------------------------------------
def test_homedir_other_mentions_of_a_found_login_are_redacted_too() -> None:
    """An auth log names the login that a path holds: every whole-word mention goes, not only the
    path's; a longer login, a dotted name and an e-mail address holding it stay as they are read."""
    text = ("Nov 28 10:01:22 web01 sshd[2231]: Accepted publickey for jsmith from 10.0.0.5 port 51234\n"
            "Nov 28 10:03:11 web01 sudo:   jsmith : TTY=pts/0 ; PWD=/home/jsmith ; USER=root\n"
            "jsmith2 and x.jsmith are other accounts; mail jsmith@gmail.com")
    spans = found(text)
    assert [c for e, c in spans if e == "USERNAME"] == ["jsmith", "jsmith", "jsmith"]
    assert ("EMAIL_ADDRESS", "jsmith@gmail.com") in spans


def test_homedir_a_login_that_is_an_english_word_is_not_spread() -> None:
    """`/home/server/` is someone's home, but `server` elsewhere is the word."""
    assert found("cd /home/server/app && server start") == [("USERNAME", "server")]
