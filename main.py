"""Tandem: opens the window, or runs the command named on the command line."""

import sys

from app import cli


def main(argv: list[str] | None = None) -> int:
    args = cli.parse(argv)
    if args.command is None:
        from ui.application import run  # Qt loads only when a window is wanted

        return run(args.db)
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
