"""Offline speech recognition with pocketsphinx's bundled US English model.

The recogniser's words and language model (a trigram model) come from the interaction model's
samples (see :mod:`local_voice.grammar`); what it hears goes on to the same understanding as
typed text, so it need not hear a sample word for word. An n-gram model was chosen over a
grammar of the samples by intent accuracy on held-out speech (``bench/voice.py`` measures it):
a grammar only accepts the samples themselves, and paraphrases (most of what people say) then
came out as nothing, or as the wrong sample.

A second decoder, a free phone loop, hears the same audio as it arrives. How much better the
language model explains the audio than "any sounds at all" (a log-likelihood ratio per frame)
is the confidence; below a threshold, the turn counts as not heard. Nothing is downloaded: the
acoustic model and the dictionary ship inside the pocketsphinx wheel.

While a red-flag question waits for its answer, a third decoder hears the same audio against a
grammar of only the model's yes, no and not-sure samples. It picks the right answer far more
often than the open language model does, but it turns everything into an answer; which of the
two to believe is the session's choice (:meth:`skill.session.LocalSession.hear`), which knows
what the open hypothesis means.

The phone loop and the answer grammar run in a second process (:mod:`local_voice.companion`),
so that on two cores the three decoders take about as long as the slowest one.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pocketsphinx import Decoder
from pocketsphinx.lm import ArpaBoLM

from local_voice.audio import SAMPLE_RATE
from local_voice.companion import (
    GAUSSIANS_PER_SENONE,
    Companion,
    CompanionProcess,
    Companions,
    CompanionSpec,
)
from local_voice.grammar import Grammar
from local_voice.pronunciations import Lexicon, build_lexicon, spelt_out
from skill.intents import ANSWER_INTENTS

#: Below this confidence (log-likelihood ratio per 10 ms frame against the phone loop) a turn
#: counts as not heard. Measured on espeak-ng speech of held-out lines (16 Gaussians a senone):
#: -17.5 keeps about 95 % of the lines whose intent came out right. The ratio tells right from
#: wrong only weakly, so it mostly turns away noise; recordings of real people should refine it.
DEFAULT_THRESHOLD = -17.5
_CHUNK = 4096


@dataclass(frozen=True)
class Recognition:
    """What the recogniser made of an utterance.

    ``text`` is the best hypothesis (None when nothing was recognised); ``score`` is the
    confidence, a log-likelihood ratio per frame against a free phone loop (higher is surer,
    minus infinity for nothing); ``accepted`` says whether the turn counts as heard: a
    confidence at the threshold or above, or the answer grammar hearing exactly ``text``. ``answer``
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
        parallel: bool = True,
    ) -> None:
        spelt = spelt_out(word for sample in grammar.samples for word in sample)
        self.lexicon: Lexicon = build_lexicon(grammar.vocabulary, spelt)
        self.grammar = grammar.without(self.lexicon.unknown) if self.lexicon.unknown else grammar
        self.threshold = threshold
        dictionary_text = "\n".join(self.lexicon.dictionary_lines()) + "\n"
        spec = CompanionSpec(
            SAMPLE_RATE,
            dictionary_text,
            answers.without(self.lexicon.unknown).jsgf("answer") if answers is not None else None,
        )
        # The child process starts first, so that it builds its decoders while this one does.
        self._companions: Companions = CompanionProcess(spec) if parallel else Companion(spec)
        with tempfile.TemporaryDirectory(prefix="twitch-guide-") as folder:
            dictionary = Path(folder) / "words.dict"
            dictionary.write_text(dictionary_text)
            language_model = Path(folder) / "utterances.arpa"
            trigrams = ArpaBoLM(text="\n".join(self.grammar.sentences()), add_start=True)
            trigrams.compute()
            trigrams.write_file(str(language_model))
            self._words = Decoder(
                lm=str(language_model),
                samprate=SAMPLE_RATE,
                dict=str(dictionary),
                topn=GAUSSIANS_PER_SENONE,
                fwdflat=False,  # with 16 Gaussians, the second pass doubled the time for < 1 point
                loglevel="FATAL",
            )
        self._logmath = self._words.get_logmath()
        self._initial_mean = self._words.get_cmn()  # the acoustic model's, as built
        self._answers_known = answers is not None
        self._started = False
        self._expecting_answer = False

    @classmethod
    def for_locale(
        cls, locale: str = "en-US", threshold: float = DEFAULT_THRESHOLD, *, parallel: bool = True
    ) -> Recogniser:
        """A recogniser for the shipped interaction model of ``locale``, answers included."""
        answers = Grammar.for_locale(locale, ANSWER_INTENTS)
        return cls(
            Grammar.for_locale(locale), answers=answers, threshold=threshold, parallel=parallel
        )

    def expect_answer(self, expecting: bool) -> None:
        """Say whether the next utterances may answer a yes/no question (from their start)."""
        self._expecting_answer = expecting and self._answers_known

    def start(self) -> None:
        """Begin an utterance."""
        self._words.start_utt()
        self._companions.start(self._expecting_answer)
        self._started = True

    def feed(self, pcm: bytes) -> None:
        """Hear more of the utterance as it arrives (any number of 16-bit samples)."""
        if not self._started:
            self.start()
        self._companions.feed(pcm)  # first: the child decodes while this process does
        self._words.process_raw(pcm)

    def finish(self) -> Recognition:
        """End the utterance and say what was heard."""
        if not self._started:
            self.start()
        self._words.end_utt()
        self._started = False
        companions = self._companions.finish()
        best = self._words.hyp()
        text = " ".join(best.hypstr.split()) if best is not None else ""
        phones = companions.phone_log_score
        if not text or phones is None or best.score <= 0:
            return Recognition(text or None, -math.inf, False, companions.answer)
        frames = max(self._words.n_frames(), 1)
        score = (self._logmath.log(best.score) - phones) / frames
        # Two decoders that heard the same answer word for word, one free to hear anything the
        # model allows, are evidence enough for a short answer whose ratio is low.
        agreed = companions.answer is not None and companions.answer == text
        return Recognition(text, score, score >= self.threshold or agreed, companions.answer)

    def forget_voice(self) -> None:
        """Hear the next utterance as a new recogniser would: every decoder's running estimate
        of the voice and microphone (cepstral mean) goes back to the acoustic model's initial
        value. For measuring the first turn of a session without building a recogniser."""
        self._words.set_cmn(self._initial_mean)
        self._companions.forget_voice()

    def close(self) -> None:
        """Stop the second process, if one runs (it also stops when the recogniser is collected
        or the program ends)."""
        self._companions.close()

    def recognise(self, pcm: bytes) -> Recognition:
        """Recognise one whole utterance, as if it were streamed: the decoders' running
        estimate of the speaker's voice (cepstral mean) carries over from turn to turn, which
        suits one person's turns better than normalising a short "no" on its own."""
        self.start()
        for start in range(0, len(pcm), _CHUNK):
            self.feed(pcm[start : start + _CHUNK])
        return self.finish()
