"""The Alexa front end: thin adapters from Alexa's request envelopes to the dialogue engine.

Each module has one job: ``handlers`` (the ask-sdk-core skill), ``envelope`` (which requests
are answered), ``verification`` (Alexa's request signature and timestamp), ``sdk_compat``
(importing flask-ask-sdk), ``webservice`` and ``serve`` (the HTTPS endpoint),
``lambda_function`` (the AWS Lambda entry point), ``skill_package`` (the files the ASK CLI
deploys) and ``testing`` (a made-up signing chain for tests and benchmarks). Importing this
package imports none of them, so the Lambda handler never loads Flask.
"""

#: The environment variable that holds the skill id to answer (``serve`` and Lambda).
SKILL_ID_ENV = "TWITCH_GUIDE_SKILL_ID"

#: The environment variable that holds the key sealing the dialogue state in session attributes
#: (hex). Set the same value on every server and Lambda instance that serves one skill; without
#: it each process makes its own key, and a session moving between processes starts afresh.
STATE_KEY_ENV = "TWITCH_GUIDE_STATE_KEY"
