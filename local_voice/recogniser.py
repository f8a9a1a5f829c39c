"""Offline speech recognition with pocketsphinx's bundled US English model.

The recogniser's words and language model (a trigram model) come from the interaction model's
samples (see :mod:`local_voice.grammar`); what it hears goes on to the same understanding as
typed text, so it need not hear a sample word for word. An n-gram model was chosen over a
grammar of the samples by intent accuracy on held-out speech (``bench/voice.py`` measures it):
a grammar only accepts the samples themselves, and paraphrases (most of what people say) then
came out as nothing, or as the wrong sample.

A second decoder, a free phone loop, hears the same audio in lock-step. How much better the
language model explains the audio than "any sounds at all" (a log-likelihood ratio per frame)
is the confidence; below a threshold, the turn counts as not heard. Nothing is downloaded: the
acoustic model and the dictionary ship inside the pocketsphinx wheel.

While a red-flag question waits for its answer, a third decoder hears the same audio against a
grammar of only the model's yes, no and not-sure samples. It picks the right answer far more
often than the open language model does, but it turns everything into an answer; which of the
two to believe is the session's choice (:meth:`skill.session.LocalSession.hear`), which knows
what the open hypothesis means.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pocketsphinx import Decoder, get_model_path
from pocketsphinx.lm import ArpaBoLM

from local_voice.audio import SAMPLE_RATE
from local_voice.grammar import Grammar
from local_voice.pronunciations import Lexicon, build_lexicon, spelt_out
from skill.intents import ANSWER_INTENTS

#: Below this confidence (log-likelihood ratio per 10 ms frame against the phone loop) a turn
#: counts as not heard. Measured on espeak-ng speech of held-out lines: -15 keeps about 94 % of
#: the lines whose intent came out right. With this language model the ratio tells right from
#: wrong only weakly, so it mostly turns away noise; recordings of real people should refine it.
DEFAULT_THRESHOLD = -15.0
_CHUNK = 4096


@dataclass(frozen=True)
class Recognition:
    """What the recogniser made of an utterance.

    ``text`` is the best hypothesis (None when nothing was recognised); ``score`` is the
    confidence, a log-likelihood ratio per frame against a free phone loop (higher is surer,
    minus infinity for nothing); ``accepted`` says whether the turn counts as heard. ``answer``
    is the best of the answer samples, when an answer was expected (else None).
    """

    text: str | None
    score: float
    accepted: bool
    answer: str | None = None


class Recogniser:
    """Turns 16 kHz mono 16-bit speech into text in the interaction model's words."""

    def __init__(
        self,
        grammar: Grammar,
        *,
        answers: Grammar | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        spelt = spelt_out(word for sample in grammar.samples for word in sample)
        self.lexicon: Lexicon = build_lexicon(grammar.vocabulary, spelt)
        self.grammar = grammar.without(self.lexicon.unknown) if self.lexicon.unknown else grammar
        self.threshold = threshold
        with tempfile.TemporaryDirectory(prefix="twitch-guide-") as folder:
            dictionary = Path(folder) / "words.dict"
            dictionary.write_text("\n".join(self.lexicon.dictionary_lines()) + "\n")
            language_model = Path(folder) / "utterances.arpa"
            trigrams = ArpaBoLM(text="\n".join(self.grammar.sentences()), add_start=True)
            trigrams.compute()
            trigrams.write_file(str(language_model))
            common = {"samprate": SAMPLE_RATE, "dict": str(dictionary), "loglevel": "FATAL"}
            self._words = Decoder(lm=str(language_model), **common)
            self._phones = Decoder(
                lm=None, allphone=get_model_path("en-us/en-us-phone.lm.bin"), **common
            )
            self._answers: Decoder | None = None
            if answers is not None:
                answer_grammar = Path(folder) / "answers.gram"
                answer_grammar.write_text(answers.without(self.lexicon.unknown).jsgf("answer"))
                self._answers = Decoder(lm=None, jsgf=str(answer_grammar), **common)
        self._logmath = self._words.get_logmath()
        self._started = False
        self._expecting_answer = False
        self._hearing_answer = False

    @classmethod
    def for_locale(cls, locale: str = "en-US", threshold: float = DEFAULT_THRESHOLD) -> Recogniser:
        """A recogniser for the shipped interaction model of ``locale``, answers included."""
        answers = Grammar.for_locale(locale, ANSWER_INTENTS)
        return cls(Grammar.for_locale(locale), answers=answers, threshold=threshold)

    def expect_answer(self, expecting: bool) -> None:
        """Say whether the next utterances may answer a yes/no question (from their start)."""
        self._expecting_answer = expecting and self._answers is not None

    def start(self) -> None:
        """Begin an utterance."""
        self._words.start_utt()
        self._phones.start_utt()
        self._hearing_answer = self._expecting_answer
        if self._hearing_answer:
            assert self._answers is not None
            self._answers.start_utt()
        self._started = True

    def feed(self, pcm: bytes) -> None:
        """Hear more of the utterance as it arrives (any number of 16-bit samples)."""
        if not self._started:
            self.start()
        self._words.process_raw(pcm)
        self._phones.process_raw(pcm)
        if self._hearing_answer:
            assert self._answers is not None
            self._answers.process_raw(pcm)

    def finish(self) -> Recognition:
        """End the utterance and say what was heard."""
        if not self._started:
            self.start()
        self._words.end_utt()
        self._phones.end_utt()
        self._started = False
        answer = self._finish_answer()
        best, phones = self._words.hyp(), self._phones.hyp()
        text = " ".join(best.hypstr.split()) if best is not None else ""
        if not text or phones is None or best.score <= 0 or phones.score <= 0:
            return Recognition(text or None, -math.inf, False, answer)
        frames = max(self._words.n_frames(), 1)
        log = self._logmath.log
        score = (log(best.score) - log(phones.score)) / frames
        return Recognition(text, score, score >= self.threshold, answer)

    def _finish_answer(self) -> str | None:
        if not self._hearing_answer:
            return None
        assert self._answers is not None
        self._answers.end_utt()
        self._hearing_answer = False
        best = self._answers.hyp()
        text = " ".join(best.hypstr.split()) if best is not None else ""
        return text or None

    def recognise(self, pcm: bytes) -> Recognition:
        """Recognise one whole utterance, as if it were streamed: the decoders' running
        estimate of the speaker's voice (cepstral mean) carries over from turn to turn, which
        suits one person's turns better than normalising a short "no" on its own."""
        self.start()
        for start in range(0, len(pcm), _CHUNK):
            self.feed(pcm[start : start + _CHUNK])
        return self.finish()
