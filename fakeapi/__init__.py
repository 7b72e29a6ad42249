"""The offline Telegram double: a fake Bot API in process (inprocess.py) and over HTTP
(standin.py), both checking what Telegram would refuse; used by the demo, console and tests."""
