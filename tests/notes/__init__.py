"""A throwaway module that exists only in the test suite: the proof that the floor works.

``Note`` declares one searchable encrypted field; everything else — encryption, search,
rotation, the canary scan, the authorization matrix, the case-page section, deletion of its
search tokens and files — comes from the declarations in this package alone.
"""
