"""`egov serve-data`: the releases folder over HTTP with range requests. DuckDB's httpfs cannot
be installed offline here, so a real Parquet reader (pyarrow) reads through a file object that
fetches only byte ranges from the server, and the ranges themselves are checked with httpx."""

from __future__ import annotations

import io

import httpx
import pyarrow.parquet as pq
import pytest

import publish
import warehouse
from publish.serve import serving

from publish_fixtures import batch, fill, obs


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    with warehouse.connect(root / "w.duckdb") as con:
        fill(con)
        # enough rows that one column is a small part of the file
        warehouse.load_batch(con, batch(5, [obs(i, start=10 * i) for i in range(5000)]))
        publish.publish_release(con, root / "releases", {})
    with serving(root / "releases") as base:
        yield root / "releases", base


class RangeFile(io.RawIOBase):
    """A read-only, seekable file whose bytes come from HTTP range requests."""

    def __init__(self, client: httpx.Client, url: str):
        self.client, self.url, self.pos, self.fetched = client, url, 0, 0
        self.size = int(client.head(url).headers["Content-Length"])

    def seekable(self):
        return True

    def readable(self):
        return True

    def tell(self):
        return self.pos

    def seek(self, offset, whence=io.SEEK_SET):
        self.pos = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence] + offset
        return self.pos

    def read(self, n=-1):
        end = self.size if n is None or n < 0 else min(self.size, self.pos + n)
        if end <= self.pos:
            return b""
        r = self.client.get(self.url, headers={"Range": f"bytes={self.pos}-{end - 1}"})
        assert r.status_code == 206 and r.headers["Content-Range"] == f"bytes {self.pos}-{end - 1}/{self.size}"
        self.fetched += len(r.content)
        self.pos = end
        return r.content

    def readinto(self, b):
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


def test_parquet_reader_reads_one_column_through_ranges(served):
    releases, base = served
    with httpx.Client() as client:
        remote = RangeFile(client, base + "latest/data/observations.parquet")
        table = pq.ParquetFile(remote).read(columns=["value"])
        local = pq.read_table(releases / "latest" / "data" / "observations.parquet", columns=["value"])
        assert table.equals(local)
        assert 0 < remote.fetched < remote.size  # the footer and one column, not the whole file


def test_range_requests(served):
    releases, base = served
    data = (releases / "latest" / "egov-data.duckdb").read_bytes()
    size = len(data)
    url = base + "latest/egov-data.duckdb"
    with httpx.Client() as client:
        whole = client.get(url)
        assert whole.status_code == 200 and whole.content == data and whole.headers["Accept-Ranges"] == "bytes"
        head = client.head(url)
        assert head.status_code == 200 and int(head.headers["Content-Length"]) == size and not head.content
        for header, first, last in (("bytes=0-99", 0, 99), ("bytes=100-", 100, size - 1),
                                    ("bytes=-8", size - 8, size - 1), (f"bytes=10-{size * 2}", 10, size - 1)):
            r = client.get(url, headers={"Range": header})
            assert r.status_code == 206, header
            assert r.headers["Content-Range"] == f"bytes {first}-{last}/{size}"
            assert r.content == data[first:last + 1]
        past = client.get(url, headers={"Range": f"bytes={size}-"})
        assert past.status_code == 416 and past.headers["Content-Range"] == f"bytes */{size}"


def test_serves_release_files_only(served):
    _, base = served
    with httpx.Client() as client:
        assert client.get(base).status_code == 200  # index.html
        assert "text/html" in client.get(base + "latest/").headers["Content-Type"]
        for path in (".lock", "../w.duckdb", "%2e%2e/w.duckdb", "latest/missing.csv"):
            assert client.get(base + path).status_code == 404, path
