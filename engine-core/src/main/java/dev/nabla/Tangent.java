package dev.nabla;

/** A forward-mode tangent at one nesting level; a tensor's tangents form a list ordered by level. */
record Tangent(int level, Tensor value, Tangent next) {

    Tensor at(int l) {
        for (Tangent t = this; t != null; t = t.next) if (t.level == l) return t.value;
        return null;
    }

    /** This list with only the levels below l. */
    static Tangent below(Tangent list, int l) {
        if (list == null || list.level >= l) return null;
        return new Tangent(list.level, list.value, below(list.next, l));
    }

    /** This list with (l, value) added in level order, replacing an existing entry at l. */
    static Tangent with(Tangent list, int l, Tensor value) {
        if (list == null || list.level > l) return new Tangent(l, value, list);
        if (list.level == l) return new Tangent(l, value, list.next);
        return new Tangent(list.level, list.value, with(list.next, l, value));
    }

    static boolean hasLevelAtLeast(Tangent list, int l) {
        for (Tangent t = list; t != null; t = t.next) if (t.level >= l) return true;
        return false;
    }
}
