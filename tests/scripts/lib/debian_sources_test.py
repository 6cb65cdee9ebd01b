#!/usr/bin/env python3
"""debian_sources.py: the Debian 12 mirror and entries from one-line and deb822 apt sources."""

import contextlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debian_sources  # noqa: E402


class DebianSourcesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.etc = self.dir.name
        os.makedirs(f"{self.etc}/sources.list.d")

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, text):
        with open(f"{self.etc}/{name}", "w") as f:
            f.write(text)

    def run_main(self, mode):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = debian_sources.main(mode, self.etc)
        return code, out.getvalue(), err.getvalue()

    def test_deb822_with_third_party_and_disabled_entries(self):
        self.write("sources.list.d/debian.sources",
                   "Types: deb\n# a comment\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n"
                   "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
                   "Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\nComponents: main\n\n"
                   "Types: deb\nURIs: http://security.example/debian-security\nSuites: bookworm-security\n"
                   "Components: main\n\n"
                   "Types: deb\nEnabled: no\nURIs: http://off.example/debian\nSuites: bookworm\nComponents: main\n")
        self.write("sources.list.d/node.sources", "Types: deb\nURIs: https://node.example\nSuites: nodistro\n"
                   "Components: main\n")
        self.write("sources.list.d/cloud.list.disabled", "deb http://ignored.example bookworm main\n")
        self.assertEqual(self.run_main("--mirror"), (0, "http://mirror.example/debian\n", ""))
        code, out, _ = self.run_main("--deb822")
        self.assertEqual(code, 0)
        self.assertIn("URIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n", out)
        self.assertIn("URIs: http://security.example/debian-security\nSuites: bookworm-security\n", out)
        for absent in ("src.example", "off.example", "node.example", "ignored.example"):
            self.assertNotIn(absent, out)

    def test_one_line_sources_with_options_and_comments(self):
        self.write("sources.list", "# deb http://commented.example/debian bookworm main\n"
                   "deb [arch=amd64 signed-by=/k.gpg] http://one.example/debian bookworm main contrib # note\n"
                   "deb http://other.example/debian bullseye main\n")
        self.assertEqual(self.run_main("--mirror")[1], "http://one.example/debian\n")

    def test_no_bookworm_main_is_an_error(self):
        self.write("sources.list", "deb http://old.example/debian bullseye main\n"
                   "deb http://c.example/debian bookworm contrib\n")
        code, out, err = self.run_main("--mirror")
        self.assertEqual((code, out), (1, ""))
        self.assertIn("bookworm main", err)


if __name__ == "__main__":
    unittest.main()
