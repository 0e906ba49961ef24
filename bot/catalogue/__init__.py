"""Finding products the way a shop assistant does: by what the shopper needs.

- `search`: filters, ranking, the reason each match matches, the nearest alternatives and the
  question that narrows a broad result (contract 4 of #13);
- `advice`: the retailer's rules that turn a need ("beginnende hardloper") into a search;
- `unsold`: things the shop does not sell ("do you sell laptops?");
- `wording` and `vocabulary`: the plain words of a condition in the shopper's language.
"""
