"""Write the skill package the ASK CLI deploys: the manifest and one model per English locale.

Layout (ASK CLI v2)::

    ask-resources.json
    skill-package/skill.json
    skill-package/interactionModels/custom/<locale>.json

Every English locale gets the one source model (``interaction_models/en-US.json``) and the
same store text, since the guide's English content is the same everywhere. The manifest's
privacy flags say what the skill does: no purchases, no personal information, no ads, not
directed at children, and ``usesHealthInfo`` false (that flag is for HIPAA-covered entities
processing protected health information; this skill keeps nothing).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skill import intents as i
from skill.content import Content, load_content
from skill.interaction_model import InteractionModel, alexa_rule_problems, load_interaction_model

LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
SOURCE_LOCALE = "en-US"
CATEGORY = "HEALTH_AND_FITNESS"
SKILL_PACKAGE = "skill-package"

SUMMARY = (
    "Calm, spoken answers about visible muscle twitching, and a short check of warning signs. "
    "Not medical advice."
)
DESCRIPTION = (
    "Muscle Twitch Guide answers common questions about visible muscle twitching "
    "(fasciculations): what it is, why it happens, whether it is dangerous, and what tends to "
    "help. A short check of five warning signs suggests whether to see a healthcare "
    "professional soon or to seek urgent care. You can ask it to speak slower or faster. "
    "Nothing you say is stored after the session."
)
KEYWORDS = ["muscle twitching", "twitch", "fasciculation", "magnesium", "health"]
TESTING_INSTRUCTIONS = (
    "Say 'open muscle twitch guide', then ask 'is twitching dangerous' or 'should I see a "
    "doctor' and answer the five yes or no questions. No account linking or permissions."
)


def endpoint_config(endpoint: str) -> dict[str, str]:
    """The manifest's endpoint: an HTTPS URL (with a trusted certificate) or a Lambda ARN."""
    if endpoint.startswith("arn:aws:lambda:"):
        return {"uri": endpoint}
    if endpoint.startswith("https://") and len(endpoint) > len("https://"):
        return {"uri": endpoint, "sslCertificateType": "Trusted"}
    raise ValueError(f"endpoint must be an https:// URL or a Lambda ARN, not {endpoint!r}")


def example_phrases(model: InteractionModel) -> list[str]:
    """Three store examples: the launch phrase, then two samples the model really has."""
    name = model.invocation_name
    samples = [model.intents[intent].samples[0] for intent in (i.DANGER, i.SYMPTOM_CHECK)]
    return [f"Alexa, open {name}", *(f"Alexa, ask {name} {sample}" for sample in samples)]


def manifest(content: Content, model: InteractionModel, endpoint: str | None) -> dict[str, Any]:
    """The ``skill.json`` manifest; without ``endpoint`` it is left for the developer to add."""
    description = f"{DESCRIPTION}\n\n{content.block('disclaimer.full').text()}"
    listing = {
        "name": content.skill_name,
        "summary": SUMMARY,
        "description": description,
        "examplePhrases": example_phrases(model),
        "keywords": KEYWORDS,
    }
    custom: dict[str, Any] = {"interfaces": []}
    if endpoint is not None:
        custom["endpoint"] = endpoint_config(endpoint)
    return {
        "manifest": {
            "manifestVersion": "1.0",
            "publishingInformation": {
                "locales": {locale: dict(listing) for locale in LOCALES},
                "isAvailableWorldwide": True,
                "distributionMode": "PUBLIC",
                "category": CATEGORY,
                "testingInstructions": TESTING_INSTRUCTIONS,
            },
            "privacyAndCompliance": {
                "allowsPurchases": False,
                "usesPersonalInfo": False,
                "isChildDirected": False,
                "isExportCompliant": True,
                "containsAds": False,
                "usesHealthInfo": False,
            },
            "apis": {"custom": custom},
        }
    }


def write_skill_package(directory: Path, endpoint: str | None = None) -> list[Path]:
    """Write the ASK CLI project into ``directory``; returns the files written.

    Raises ValueError for a bad endpoint or a source model that breaks Alexa's rules.
    """
    content = load_content(SOURCE_LOCALE)
    model = load_interaction_model(SOURCE_LOCALE)
    problems = alexa_rule_problems(model.raw)
    if problems:
        raise ValueError(f"the {SOURCE_LOCALE} model breaks Alexa's rules: {problems[0]}")
    files: dict[Path, Any] = {
        Path("ask-resources.json"): {
            "askcliResourcesVersion": "2020-03-31",
            "profiles": {"default": {"skillMetadata": {"src": f"./{SKILL_PACKAGE}"}}},
        },
        Path(SKILL_PACKAGE, "skill.json"): manifest(content, model, endpoint),
    }
    for locale in LOCALES:
        files[Path(SKILL_PACKAGE, "interactionModels", "custom", f"{locale}.json")] = model.raw
    written: list[Path] = []
    for relative, data in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
