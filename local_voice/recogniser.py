"""Offline speech recognition with pocketsphinx's bundled US English model.

The recogniser's words and language model (a trigram model) come from the interaction model's
samples (see :mod:`local_voice.grammar`); what it hears goes on to the same understanding as
typed text, so it need not hear a sample word for word. An n-gram model was chosen over a
grammar of the samples by intent accuracy on held-out speech (``bench/voice.py`` measures it):
a grammar only accepts the samples themselves, and paraphrases (most of what people say) then
came out as nothing, or as the wrong sample.

Words that sound the same ("no", "know") are spelt as a sample spells them, where one does
(:mod:`local_voice.homophones`): the decoder can only guess between them from the language model.

A second decoder, a free phone loop, hears the same audio as it arrives. How much better the
language model explains the audio than "any sounds at all" (a log-likelihood ratio per frame)
is the confidence; below a threshold, the turn counts as not heard. Nothing is downloaded: the
acoustic model and the dictionary ship inside the pocketsphinx wheel.

While a red-flag question waits for its answer, a third decoder hears the same audio against a
grammar of only the model's yes, no and not-sure samples. It picks the right answer far more
often than the open language model does, but it turns everything into an answer; which of the
two to believe is the session's choice (:meth:`skill.session.LocalSession.hear`), which knows
what the open hypothesis means. Meanwhile the open decoder uses a second language model in
which the answers weigh more, as they are likelier then.

The open decoder's best text is often a near miss, so its n-best list goes along with it
(``Recognition.alternatives``); the understanding votes on what they mean
(:meth:`skill.understanding.Understander.understand_heard`).

The phone loop and the answer grammar run in a second process (:mod:`local_voice.companion`),
so that on two cores the three decoders take about as long as the slowest one.

Every decoder normalises the audio by a running estimate of the voice and microphone (live
cepstral mean normalisation). A new recogniser starts from the acoustic model's initial mean,
which fits no particular voice or microphone, and pocketsphinx weighs it as 500 frames (5 s) of
audio, so a session's first utterances were heard worse than later ones. Until the session has
given that much audio of its own, each utterance is therefore heard a second time, normalised
by the mean of all the session has said (this utterance included), which from then on stands
in for the initial mean. Every decoder is given the same mean, so the confidence keeps its
scale.

Fast speakers are heard at more frames a second (:mod:`local_voice.tempo`): the recogniser
keeps a running estimate of the person's pace from what it heard, and every decoder takes the
frame rate that suits it before an utterance, so the confidence keeps its scale there too.
"""

from __future__ import annotations

import itertools
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pocketsphinx import Decoder
from pocketsphinx.lm import ArpaBoLM

from local_voice.audio import SAMPLE_RATE
from local_voice.companion import (
    GAUSSIANS_PER_SENONE,
    PAUSE,
    Companion,
    CompanionProcess,
    Companions,
    CompanionSpec,
)
from local_voice.grammar import Grammar
from local_voice.homophones import Homophones
from local_voice.pronunciations import Lexicon, build_lexicon, spelt_out
from local_voice.tempo import NORMAL_FRAME_RATE, Segment, SpeakingRate, phones_per_second
from skill.intents import ANSWER_INTENTS
from skill.understanding import Hypothesis

#: Below this confidence (log-likelihood ratio per 10 ms frame against the phone loop) a turn
#: counts as not heard. Calibrated to keep 95 % of the lines whose intent came out right, on
#: espeak-ng speech of development lines (sets C, M, N, O, every fourth line in four voices at
#: two rates, 1,512 turns; until 2026-12-03 it was calibrated on the bench's held-out set A): the
#: 5th percentile is -17.98 of 1,114 right lines, and -18.0 keeps 95.3 % of them and turns away
#: 38 of the 398 wrong (after the British vowel of "worse" went to AH, -17.94 of 1,131, and
#: -18.0 keeps 95.5 %). Against the -17.3 before, on the same lines: intents right 1,033 ->
#: 1,062; said while a question waits, questions right 1,023 -> 1,035 (taken for no 49 -> 51)
#: and answers right 1,526 -> 1,527 of 1,720. The ratio tells right from wrong only weakly, so
#: it mostly turns away noise; recordings of real people should refine it. Any change to the
#: decoders moves the scale, so the rule must then be run again.
DEFAULT_THRESHOLD = -18.0
#: How much lower the bar is while the recogniser is still learning the voice (its running
#: mean unsettled: a session's first few turns). A first utterance is heard with a mean that
#: leans on the acoustic model's, and its confidence runs lower even when its words are right.
#: The same rule on the same development lines, each said as a session's first utterance: the
#: 5th percentile of 1,095 right lines is -18.93, so -18.95 (0.95 below the threshold) keeps
#: 95.1 % of them, against 93.2 % at -18.0 (first utterances right and heard 1,021 -> 1,041 of
#: 1,512; wrong ones let through 342 -> 373 of 417). (It was 0.8, from -18.73, until
#: forget_voice() also reset the decoders' noise estimates: the first utterances measured then
#: were heard with the noise estimate the line before had left.)
UNSETTLED_ALLOWANCE = 0.95
_CHUNK = 4096
#: How much the open decoder weighs the language model against the acoustic scores, in its first
#: pass and in the best-path search over its lattice (pocketsphinx's defaults: 6.5 and 9.5). The
#: interaction model's samples predict what people say here far better than a general model
#: would, so they may count for more. Measured on espeak-ng speech of development lines (sets C,
#: M, N, O, each line in one of four voices at one of two rates) with the threshold recalibrated
#: for each by the rule above: intents right 453 -> 475 of 754; every answer sample said twice,
#: while a question waits, 342 -> 348 of 430, yes or not sure taken for no 12 -> 11. First pass
#: 7 or 10: 474 and 459 (10 alone: 465); best path 11 or 14: 492 and 490 right before the
#: threshold, against 499 at 12.
LANGUAGE_WEIGHT = 8.0
BEST_PATH_LANGUAGE_WEIGHT = 12.0
#: While an answer is expected the open model keeps pocketsphinx's defaults. With the weights
#: above, questions said then were more often heard short ("what twitching worse") and taken for
#: the answer grammar's guess: the voice test's 1 of 72 -> 4; development lines said mid-check
#: taken for answers 114 -> 124 of 754 (though intents right 464 -> 474, and answers right
#: 342 -> 348 of 430). One threshold
#: serves both: on these scores, -17.3 rather than -15.7 let through 30 more right
#: questions said mid-check and 8 more taken for answers; yes or not sure taken for no stayed 12.
#: (Measured with ANSWER_WEIGHT at 4.)
ANSWER_LANGUAGE_WEIGHTS = (6.5, 9.5)
#: While a red-flag question waits, the open language model counts every yes, no and not-sure
#: sample this many times over: an answer is then likelier than any one question, and the open
#: decoder hears short answers as answers rather than as the start of a question. Measured on
#: espeak-ng speech: with 10, answers right rose from 71.4 % to 74.8 % (before the n-best
#: search for whole answers), but the voice tests' questions asked mid-check were taken for
#: answers 8 times in 72 (5 with 4 or without). 5 since the language weights above: the
#: open model then heard short answers better when none was expected (the voice test's 49 -> 51
#: of 80), and 4 no longer raised them by as much as it had (56 of 80 while expecting).
ANSWER_WEIGHT = 5
_ANSWER_SEARCH = "answer expected"
#: How many of the open decoder's n-best hypotheses go on to the understanding, and how their
#: weights fall with the decoder's score (pocketsphinx's log units, base 1.0001): one 333 units
#: below the best weighs 1/e of it. Chosen on espeak-ng speech of development lines (sets C, M,
#: N, O): intents right 487 of 800 from the best text alone, 515 from the vote; 10 to 20
#: hypotheses and scales from 0.001 to 0.003 all gave 507 to 515. The scale is for 100 frames
#: a second, and shrinks as a fast speaker's utterances get more frames (:mod:`local_voice.tempo`).
NBEST = 20
NBEST_SCALE = 0.003
#: How many frames (10 ms each) pocketsphinx's live normalisation counts a mean it is given as
#: (``CMN_WIN`` in its ``cmn.h``). Until a session has given this much audio of its own, the
#: running mean still leans on the acoustic model's initial value, so utterances are heard again.
CMN_WINDOW = 500
#: How many frames (1 s) the acoustic model's initial mean still counts as in a session's
#: estimate. A little of it keeps a session of nothing but short answers from drawing the mean
#: to one word's sound: with none, after a question and nine spoken "no"s a "yes" was heard as
#: "use" (espeak-ng); it cost 2 of 49 first utterances in a quick check.
INITIAL_WEIGHT = 100
#: Past this many frames pocketsphinx scales its running sum back to CMN_WINDOW frames
#: (``CMN_WIN_HWM``), so that old audio fades.
CMN_HIGH_WATER = 800


@dataclass(frozen=True)
class Recognition:
    """What the recogniser made of an utterance.

    ``text`` is the best hypothesis (None when nothing was recognised); ``score`` is the
    confidence, a log-likelihood ratio per frame against a free phone loop (higher is surer,
    minus infinity for nothing); ``accepted`` says whether the turn counts as heard: a
    confidence at the threshold or above (:data:`UNSETTLED_ALLOWANCE` lower while the voice is
    new), or the answer grammar hearing exactly ``text``. ``answer`` is the best of the answer
    samples, when an answer was expected (else None).
    ``alternatives`` are the open model's n-best texts, ``text`` first (weight 1), each weighed
    by how likely the decoder found it (:meth:`Understander.understand_heard` reads them).
    """

    text: str | None
    score: float
    accepted: bool
    answer: str | None = None
    alternatives: tuple[Hypothesis, ...] = ()


@dataclass(frozen=True)
class VoiceEstimate:
    """The cepstral mean the decoders start an utterance from; how many frames of the session's
    own audio it rests on; and how many frames it weighs as, the session's own plus those the
    acoustic model's initial value still counts as."""

    mean: tuple[float, ...]
    frames: int = 0
    weight: int = 0

    @classmethod
    def parse(cls, text: str, weight: int = 0) -> VoiceEstimate:
        """From pocketsphinx's comma-separated form."""
        return cls(tuple(float(value) for value in text.split(",")), 0, weight)

    @property
    def text(self) -> str:
        """In pocketsphinx's comma-separated form."""
        return ",".join(f"{value:.6g}" for value in self.mean)

    @property
    def settled(self) -> bool:
        """Whether the session's own audio now outweighs the initial value."""
        return self.frames >= CMN_WINDOW

    def adding(self, mean: Sequence[float], frames: int) -> VoiceEstimate:
        """The estimate pooled with an utterance of ``frames`` frames whose own mean is
        ``mean``, each weighed by its frames."""
        total = self.weight + frames
        pooled = (
            (self.weight * old + frames * new) / total
            for old, new in zip(self.mean, mean, strict=True)
        )
        return VoiceEstimate(tuple(pooled), self.frames + frames, total)


def utterance_mean(before: VoiceEstimate, after: str, frames: int) -> tuple[float, ...]:
    """The utterance's own cepstral mean, worked back from the mean a decoder was set to just
    before it (``before``) and the mean it ended with (``after``), which pools the two."""
    kept = _share_of_start(frames)
    return tuple(
        (new - kept * old) / (1 - kept)
        for old, new in zip(before.mean, VoiceEstimate.parse(after).mean, strict=True)
    )


def _share_of_start(frames: int) -> float:
    """What share of the running mean, after ``frames`` frames, is still the mean it was set to;
    it counts as CMN_WINDOW frames, and the sum is scaled back as pocketsphinx does (checked
    each frame here, each block of audio there: close enough)."""
    start, count = float(CMN_WINDOW), float(CMN_WINDOW)
    for _ in range(frames):
        count += 1
        if count > CMN_HIGH_WATER:
            start, count = start * CMN_WINDOW / count, CMN_WINDOW
    return start / count


def _write_trigrams(sentences: Sequence[str], path: Path) -> Path:
    """A trigram language model of ``sentences`` in an ARPA file at ``path``."""
    trigrams = ArpaBoLM(text="\n".join(sentences), add_start=True)
    trigrams.compute()
    trigrams.write_file(str(path))
    return path


class Recogniser:
    """Turns 16 kHz mono 16-bit speech into text in the interaction model's words."""

    def __init__(
        self,
        grammar: Grammar,
        *,
        answers: Grammar | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        parallel: bool = True,
        voice_profile: Path | None = None,
    ) -> None:
        spelt = spelt_out(word for sample in grammar.samples for word in sample)
        self.lexicon: Lexicon = build_lexicon(grammar.vocabulary, spelt)
        self.grammar = grammar.without(self.lexicon.unknown) if self.lexicon.unknown else grammar
        self.threshold = threshold
        self._homophones = Homophones.of(self.lexicon.pronunciations)
        self._sentences = frozenset(self.grammar.sentences())
        dictionary_text = "\n".join(self.lexicon.dictionary_lines()) + "\n"
        answers = answers.without(self.lexicon.unknown) if answers is not None else None
        spec = CompanionSpec(
            SAMPLE_RATE,
            dictionary_text,
            answers.jsgf("answer", pause=PAUSE) if answers is not None else None,
            frozenset(answers.alternatives()) if answers is not None else frozenset(),
            str(voice_profile) if voice_profile is not None else None,
        )
        # The child process starts first, so that it builds its decoders while this one does.
        self._companions: Companions = CompanionProcess(spec) if parallel else Companion(spec)
        with tempfile.TemporaryDirectory(prefix="twitch-guide-") as folder:
            dictionary = Path(folder) / "words.dict"
            dictionary.write_text(dictionary_text)
            language_model = _write_trigrams(self.grammar.sentences(), Path(folder) / "all.arpa")
            self._words = Decoder(
                lm=str(language_model),
                samprate=SAMPLE_RATE,
                dict=str(dictionary),
                topn=GAUSSIANS_PER_SENONE,
                lw=LANGUAGE_WEIGHT,
                bestpathlw=BEST_PATH_LANGUAGE_WEIGHT,
                fwdflat=False,  # with 16 Gaussians, the second pass doubled the time for < 1 point
                loglevel="FATAL",
                **({"mllr": str(voice_profile)} if voice_profile is not None else {}),
            )
            if answers is not None:
                # The same words, with the answers as likely as they are at this point.
                weighted = self.grammar.sentences() + answers.sentences() * ANSWER_WEIGHT
                # pocketsphinx's own language weights, read from the configuration as the
                # search is built (see ANSWER_LANGUAGE_WEIGHTS).
                config = self._words.config
                config["lw"], config["bestpathlw"] = ANSWER_LANGUAGE_WEIGHTS
                self._words.add_lm_file(
                    _ANSWER_SEARCH, str(_write_trigrams(weighted, Path(folder) / "answer.arpa"))
                )
                config["lw"], config["bestpathlw"] = LANGUAGE_WEIGHT, BEST_PATH_LANGUAGE_WEIGHT
        self._logmath = self._words.get_logmath()
        self._initial = VoiceEstimate.parse(self._words.get_cmn(), INITIAL_WEIGHT)
        self._estimate = self._initial
        self._pinned: VoiceEstimate | None = self._initial  # to set before the next utterance
        self._utterance: list[bytes] = []  # its audio, kept to hear it again while unsettled
        self._answers_known = answers is not None
        self._rate = SpeakingRate()
        self._frame_rate = NORMAL_FRAME_RATE  # the main decoder's
        self._started = False
        self._expecting_answer = False

    @classmethod
    def for_locale(
        cls,
        locale: str = "en-US",
        threshold: float = DEFAULT_THRESHOLD,
        *,
        parallel: bool = True,
        voice_profile: Path | None = None,
    ) -> Recogniser:
        """A recogniser for the shipped interaction model of ``locale``, answers included;
        ``voice_profile`` is a transform learned from the person's voice, if they made one."""
        answers = Grammar.for_locale(locale, ANSWER_INTENTS)
        return cls(
            Grammar.for_locale(locale),
            answers=answers,
            threshold=threshold,
            parallel=parallel,
            voice_profile=voice_profile,
        )

    @property
    def frame_rate(self) -> int:
        """The frame rate the next utterance will be heard at (:mod:`local_voice.tempo`)."""
        return NORMAL_FRAME_RATE if self._expecting_answer else self._rate.frame_rate

    def expect_answer(self, expecting: bool) -> None:
        """Say whether the next utterances may answer a yes/no question (from their start)."""
        self._expecting_answer = expecting and self._answers_known
        self._words.activate_search(_ANSWER_SEARCH if self._expecting_answer else None)

    def start(self) -> None:
        """Begin an utterance."""
        # While the estimate is unsettled every decoder starts from it, so that all three
        # normalise alike and the utterance's own mean can be worked out at its end.
        mean = self._pinned
        if mean is None and not self._estimate.settled:
            mean = self._estimate
        self._pinned = None
        self._begin(mean)

    def _begin(self, mean: VoiceEstimate | None) -> None:
        frame_rate = self.frame_rate
        if frame_rate != self._frame_rate:
            self._set_frame_rate(frame_rate)
        if mean is not None:
            self._words.set_cmn(mean.text)
        self._words.start_utt()
        self._companions.start(
            self._expecting_answer, mean.text if mean is not None else None, frame_rate
        )
        self._utterance = []
        self._started = True

    def _set_frame_rate(self, frame_rate: int) -> None:
        """Have the main decoder's front end take ``frame_rate``, its running estimate of the
        voice kept (a new front end would start from the model's initial one)."""
        mean = self._words.get_cmn()
        self._words.config["frate"] = frame_rate
        self._words.reinit_feat()
        self._words.set_cmn(mean)
        self._frame_rate = frame_rate

    def feed(self, pcm: bytes) -> None:
        """Hear more of the utterance as it arrives (any number of 16-bit samples)."""
        if not self._started:
            self.start()
        self._companions.feed(pcm)  # first: the child decodes while this process does
        self._words.process_raw(pcm)
        if not self._estimate.settled:
            self._utterance.append(pcm)

    def finish(self) -> Recognition:
        """End the utterance and say what was heard."""
        if not self._started:
            self.start()
        if self._estimate.settled:
            heard = self._end(self.threshold)
            self._follow_pace()
            return heard
        started_from = self._estimate
        heard = self._end(self.threshold - UNSETTLED_ALLOWANCE)
        frames = self._words.n_frames()
        if frames == 0:
            return heard
        # Heard again below at the pace this utterance adds to the estimate.
        self._follow_pace()
        own = utterance_mean(started_from, self._words.get_cmn(), frames)
        self._estimate = self._pinned = started_from.adding(own, frames)
        # Heard again, normalised by the mean of all the session has said, this utterance
        # included, as a recogniser used to this voice and this microphone would hear it; the
        # first hearing's mean still leant on the model's initial value. (By its own mean
        # alone, a short "no" after a question was heard as "go": mostly quiet, it is a poor
        # estimate of the voice.)
        audio, self._utterance = self._utterance, []
        self._begin(self._estimate)
        for pcm in audio:
            self._companions.feed(pcm)
            self._words.process_raw(pcm)
        return self._end(self.threshold - UNSETTLED_ALLOWANCE)

    def forget_voice(self) -> None:
        """Hear the next utterance as a new recogniser would: the running estimates of the voice
        and microphone (cepstral mean) and of the person's pace go back to where a session
        starts. For a new session, and for measuring a session's first turn without building a
        recogniser. Every decoder's front end starts again too: its estimate of the noise
        carries over from one utterance to the next, and a recogniser that had heard another
        voice first scored the same utterance apart from a new one."""
        self._words.reinit_feat()
        self._companions.forget_voice()
        self._estimate = self._pinned = self._initial
        self._rate = SpeakingRate()

    def _follow_pace(self) -> None:
        """Add the utterance just heard to the estimate of the person's pace, when it was
        heard as no answer was expected (the only turns heard at that pace)."""
        if self._expecting_answer:
            return
        segments = (
            Segment(segment.word, segment.start_frame, segment.end_frame)
            for segment in self._words.seg()
        )
        pace = phones_per_second(segments, self.lexicon.pronunciations, self._frame_rate)
        self._rate = self._rate.hearing(pace)

    def _end(self, threshold: float) -> Recognition:
        self._companions.end()  # the child finishes its decoding while this process does
        self._words.end_utt()
        self._started = False
        best = self._words.hyp()
        text = self._as_sample(best.hypstr) if best is not None else ""
        alternatives = self._alternatives(text)
        companions = self._companions.finish()
        phones = companions.phone_log_score
        if not text or phones is None or best.score <= 0:
            return Recognition(text or None, -math.inf, False, companions.answer, alternatives)
        frames = max(self._words.n_frames(), 1)
        score = (self._logmath.log(best.score) - phones) / frames
        # Two decoders that heard the same answer word for word, one free to hear anything the
        # model allows, are evidence enough for a short answer whose ratio is low.
        agreed = companions.answer is not None and companions.answer == text
        return Recognition(
            text, score, score >= threshold or agreed, companions.answer, alternatives
        )

    def _as_sample(self, hypothesis: str) -> str:
        text = " ".join(hypothesis.split())
        return self._homophones.as_sample(text, self._sentences) if text else text

    def _alternatives(self, text: str) -> tuple[Hypothesis, ...]:
        """The open decoder's n-best texts, each once, weighed against the likeliest; none when
        its best path is empty (nothing was heard, whatever the n-best search makes of it)."""
        if not text:
            return ()
        scores: dict[str, int] = {}
        for hypothesis in itertools.islice(self._words.nbest(), NBEST):
            if hypothesis is None or not hypothesis.hypstr or hypothesis.score <= 0:
                continue
            said = self._as_sample(hypothesis.hypstr)
            score = self._logmath.log(hypothesis.score)
            if said and score > scores.get(said, -math.inf):
                scores[said] = score
        if not scores:
            return (Hypothesis(text),)
        top = max(scores.values())
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        # The decoder's best path leads, whatever the n-best search made of it.
        ranked = [(text, top)] + [(said, score) for said, score in ranked if said != text]
        # Scores differ more the more frames an utterance has: the scale is per 10 ms of audio.
        scale = NBEST_SCALE * NORMAL_FRAME_RATE / self._frame_rate
        weighed = ((said, math.exp(scale * (score - top))) for said, score in ranked)
        # pocketsphinx's n-best list may end in paths scored far below the rest (about 80 times
        # the best path's score, seen in fast speech): they weigh nothing, and are left out.
        return tuple(Hypothesis(said, weight) for said, weight in weighed if weight > 0)

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
