"""What ties the features together, above all of them (not kernel): the whole
``communs.yaml`` schema, the checks of the side files, the example generator and
``communs init``. Only the presentation (``cli/``, ``fava_ext/``) imports it."""
