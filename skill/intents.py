"""Intent names, fixed by SPEC.md, shared by the engine, the model and every front end."""

from __future__ import annotations

WHAT_IS = "WhatIsTwitchingIntent"
CAUSES = "CausesIntent"
DANGER = "DangerIntent"
RESTING = "RestingIntent"
ANXIETY = "AnxietyIntent"
TESTS = "TestsIntent"
SUPPLEMENTS = "SupplementsIntent"
MAGNESIUM = "MagnesiumIntent"
RISK_FACTORS = "RiskFactorsIntent"
RELIEF = "ReliefIntent"
SYMPTOM_CHECK = "SymptomCheckIntent"
DISCLAIMER = "DisclaimerIntent"
LIST_TOPICS = "ListTopicsIntent"
TELL_ME_MORE = "TellMeMoreIntent"
UNSURE = "UnsureIntent"
SPEECH_RATE = "SpeechRateIntent"

YES = "AMAZON.YesIntent"
NO = "AMAZON.NoIntent"
HELP = "AMAZON.HelpIntent"
STOP = "AMAZON.StopIntent"
CANCEL = "AMAZON.CancelIntent"
FALLBACK = "AMAZON.FallbackIntent"
NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
REPEAT = "AMAZON.RepeatIntent"
START_OVER = "AMAZON.StartOverIntent"

#: The answers to a red-flag question.
ANSWER_INTENTS = frozenset({YES, NO, UNSURE})

TOPIC_INTENTS = frozenset(
    {WHAT_IS, CAUSES, DANGER, RESTING, ANXIETY, TESTS, SUPPLEMENTS, MAGNESIUM, RISK_FACTORS, RELIEF}
)
CUSTOM_INTENTS = TOPIC_INTENTS | {
    SYMPTOM_CHECK,
    DISCLAIMER,
    LIST_TOPICS,
    TELL_ME_MORE,
    UNSURE,
    SPEECH_RATE,
}
BUILT_IN_INTENTS = frozenset(
    {YES, NO, HELP, STOP, CANCEL, FALLBACK, NAVIGATE_HOME, REPEAT, START_OVER}
)
ALL_INTENTS = CUSTOM_INTENTS | BUILT_IN_INTENTS
#: Requests about the conversation itself rather than its subject.
COMMAND_INTENTS = frozenset({HELP, STOP, CANCEL, NAVIGATE_HOME, REPEAT, START_OVER})

RATE_SLOT = "rate"
RATE_VALUES = ("slower", "faster", "normal")
