"""Start the Rasa action server (`python -m bot.action_server …`, same arguments as
`python -m rasa_sdk`), with known third-party warnings kept off its output."""

from __future__ import annotations

from bot import third_party_warnings


def main() -> None:
    third_party_warnings.install()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    rasa_sdk_main()


if __name__ == "__main__":
    main()
