"""`python -m bot.services`: serve the demo shop page and the agent console."""

from __future__ import annotations

import logging

from bot import third_party_warnings
from bot.services.app import create_app
from bot.settings import Settings, SettingsError


def main() -> None:
    third_party_warnings.install()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise SystemExit(f"klantreis services: {exc}") from None
    app = create_app(settings)
    app.run(host="0.0.0.0", port=settings.web_port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
