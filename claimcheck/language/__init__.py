"""The language layer: what extraction and cross-checking know about English news text,
apart from any model.

- :mod:`~claimcheck.language.nlp`: one spaCy parse per text (sentences, entities, the
  dependency parse);
- :mod:`~claimcheck.language.places`: the gazetteers (countries, subdivisions, cities,
  demonyms);
- :mod:`~claimcheck.language.names`: one key per person across spellings;
- :mod:`~claimcheck.language.titles`: a free-text title taken apart (office, place,
  modifier such as "former" or "acting");
- :mod:`~claimcheck.language.calendar_words`: month and weekday names;
- :mod:`~claimcheck.language.vocabulary`: the word lists as data
  (``claimcheck/data/vocabulary/*.yaml``), one loader per file.

Nothing here imports a stage or the knowledge store; the gazetteer keeps its built index
under the cache root (:func:`claimcheck.llm.cache.cache_root`).
"""
