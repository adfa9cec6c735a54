#!/bin/sh
echo "hello from $(uname -m), on a base built for $(cat /etc/team/base-arch)"
