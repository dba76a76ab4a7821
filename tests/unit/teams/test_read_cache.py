"""The registry reads' cache (services/teams/read_cache.py): what it keeps, and when it
forgets."""

from services.teams.read_cache import ReadCache


class Reads:
    """A reader that records which keys it was asked for."""

    def __init__(self, answers: dict):
        self.answers, self.asked = answers, []

    def __call__(self, keys: list) -> dict:
        self.asked.append(list(keys))
        return {k: self.answers[k] for k in keys if k in self.answers}


def test_reads_only_what_it_does_not_keep():
    cache, read = ReadCache(), Reads({"a": 1, "b": 2, "c": 3})
    assert cache.each("team", ["a", "b"], read) == {"a": 1, "b": 2}
    assert cache.each("team", ["b", "c"], read) == {"b": 2, "c": 3}
    assert read.asked == [["a", "b"], ["c"]]


def test_an_unknown_key_is_read_again_each_time():
    cache, read = ReadCache(), Reads({"a": 1})
    for _ in range(2):
        assert cache.each("team", ["a", "nobody"], read) == {"a": 1}
    assert read.asked == [["a", "nobody"], ["nobody"]]


def test_kinds_are_kept_apart():
    cache = ReadCache()
    cache.each("team", ["a"], Reads({"a": "the team"}))
    assert cache.each("members", ["a"], Reads({"a": ["a member"]})) == {"a": ["a member"]}


def test_a_committed_write_forgets_everything():
    cache, read = ReadCache(), Reads({"a": 1})
    assert cache.one("page", ("first", 20), lambda: "page 1") == "page 1"
    cache.each("team", ["a"], read)
    cache.forget_all()
    read.answers["a"] = 2
    assert cache.each("team", ["a"], read) == {"a": 2}
    assert cache.one("page", ("first", 20), lambda: "page 1, after the write") \
        == "page 1, after the write"


def test_a_read_overlapping_a_commit_is_answered_but_not_kept():
    cache = ReadCache()

    def read_while_a_write_commits(keys):
        cache.forget_all()  # the write's commit, while this read's query ran
        return {k: "before the write" for k in keys}

    assert cache.each("team", ["a"], read_while_a_write_commits) == {"a": "before the write"}
    assert cache.each("team", ["a"], Reads({"a": "after"})) == {"a": "after"}


def test_answers_older_than_the_ttl_are_read_again():
    now = [0.0]
    cache, read = ReadCache(ttl=5.0, timer=lambda: now[0]), Reads({"a": 1})
    cache.each("team", ["a"], read)
    now[0] = 4.9
    cache.each("team", ["a"], read)
    now[0] = 5.1
    cache.each("team", ["a"], read)
    assert read.asked == [["a"], ["a"]]
