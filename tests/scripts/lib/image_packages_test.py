#!/usr/bin/env python3
"""image_packages.py: what an image adds to its base must be needed by the linked libraries."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_packages  # noqa: E402

BASE = ["libc6\t\t, libgcc-s1", "libgcc-s1\t\tlibc6, ", "debconf\tdebconf-2.0\t, perl-base"]
LDD = ["\tlinux-vdso.so.1 (0x00007ffd)\n", "\tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x1)\n",
       "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x2)\n"]
OWNERS = ["libssl3:amd64: /usr/lib/x86_64-linux-gnu/libssl.so.3\n", "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6\n"]
# ca-certificates pulls in openssl, and debconf through the virtual debconf-2.0.
NEEDED = ["libssl3\t\t, libc6 (>= 2.34)", "ca-certificates\t\t, openssl (>= 1.1.1), debconf (>= 0.5) | debconf-2.0",
          "openssl\t\t, libc6 (>= 2.34), libssl3 (>= 3.0.9)"]


def parse(lines):
    return {line.split("\t")[0]: (image_packages.names(line.split("\t")[1]), image_packages.names(line.split("\t")[2]))
            for line in lines}


class ImagePackagesTest(unittest.TestCase):
    def check(self, extra, ldd=LDD, owners=OWNERS):
        return image_packages.check(parse(BASE), parse(BASE + NEEDED + extra), ldd, owners)[0]

    def test_the_libraries_ca_certificates_and_their_dependencies_pass(self):
        self.assertEqual(self.check([]), [])

    def test_an_unneeded_package_and_its_dependencies_fail(self):
        errors = self.check(["curl\t\t, libc6, libcurl4", "libcurl4\t\t, libc6"])
        self.assertIn("installs curl, which no linked library needs", errors)
        self.assertIn("installs libcurl4, which no linked library needs", errors)
        self.assertIn("installs curl", errors)

    def test_a_dev_package_fails_even_when_a_dependency_pulls_it(self):
        errors = image_packages.check(parse(BASE), parse(BASE + NEEDED[1:] + ["libssl3\t\t, libssl-dev",
                                                                              "libssl-dev\t\t, libssl3"]), LDD, OWNERS)[0]
        self.assertEqual(errors, ["installs libssl-dev"])

    def test_a_missing_library_and_a_missing_ca_store_fail(self):
        ldd = LDD + ["\tlibfoo.so.1 => not found\n"]
        errors = image_packages.check(parse(BASE), parse(BASE + NEEDED[:1]), ldd, OWNERS)[0]
        self.assertIn("linked library not found: libfoo.so.1 => not found", errors)
        self.assertIn("does not install ca-certificates", errors)

    def test_a_static_binary_or_an_empty_listing_fails(self):
        self.assertTrue(self.check([], ldd=["\tnot a dynamic executable\n"], owners=[]))


if __name__ == "__main__":
    unittest.main()
