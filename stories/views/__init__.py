"""Story and reflection views: reading (library), the review flow (flow), reflections."""
