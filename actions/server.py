"""The action server: rasa_sdk's own app (`python -m rasa_sdk`), plus our NLG endpoint.

`python -m actions.server --port 5055` takes rasa_sdk's arguments and runs its app with one more
route, /nlg (actions/nlg.py), so Rasa gets every text from the process that already renders the
actions' replies.
"""

from __future__ import annotations

import logging

from bot import third_party_warnings

third_party_warnings.install()  # before rasa_sdk's imports raise their deprecation warnings

from rasa_sdk import utils  # noqa: E402
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME  # noqa: E402
from rasa_sdk.endpoint import create_app, create_argument_parser  # noqa: E402

from actions.nlg import add_nlg_route  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    args = create_argument_parser().parse_args(argv)
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    app = create_app(args.actions, cors_origins=args.cors, auto_reload=args.auto_reload)
    add_nlg_route(app)
    host = "0.0.0.0"  # rasa_sdk's default; Rasa reaches it on KLANTREIS_ACTION_PORT
    app.run(host, args.port, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
