namespace SlaWatch.Domain.Escalation;

/// <summary>
/// Finds, in one pass over a text, where each of many literal strings (the rules' anchors) occurs, overlapping or not — an
/// Aho-Corasick automaton. It replaces one substring scan of the whole text per anchor (hundreds per mail).
/// </summary>
/// <remarks>
/// Why not a regular expression alternation of the anchors: with hundreds of alternatives .NET falls back to trying them at
/// almost every position (measured at tens of milliseconds on 30 KB), and an alternation reports one anchor per position,
/// not every overlapping one. <c>SearchValues&lt;string&gt;</c> says where some anchor starts but not which.
/// Immutable once built, so one instance serves concurrent callers.
/// </remarks>
internal sealed class AnchorAutomaton
{
    // The first transition from the root, by character: a flat table for the scripts most mail is written in (Latin,
    // Greek, Cyrillic), a dictionary for the rest (Chinese). Other states have few children: a short sorted slice.
    private const int RootTableSize = 0x0530;

    private readonly int[] _rootTable;
    private readonly Dictionary<char, int> _rootOther;
    private readonly int[] _childStart; // state s's children are at [_childStart[s], _childStart[s + 1])
    private readonly char[] _childChars;
    private readonly int[] _childTargets;
    private readonly int[] _fail;
    private readonly (int Value, int Length)[][] _outputs; // per state: every anchor ending there, its own and its suffixes'

    // The whole transition function, precomputed, for the characters below RootTableSize that occur in some anchor: one
    // array read per character instead of a walk along failure links with a binary search at each step (that walk was a
    // third of the phrase rules' time). Characters are numbered by _classOf (0: in no anchor, which always leads back
    // to the root); state s's row starts at s * _classCount.
    private readonly ushort[] _classOf;
    private readonly int _classCount;
    private readonly int[] _delta;

    /// <param name="anchors">Per value (e.g. a rule's index), the strings any one of which makes it found.</param>
    public AnchorAutomaton(IReadOnlyList<IReadOnlyList<string>> anchors)
    {
        ValueCount = anchors.Count;

        // The trie.
        var children = new List<SortedDictionary<char, int>> { new() };
        var outputs = new List<HashSet<(int Value, int Length)>> { new() };
        for (var value = 0; value < anchors.Count; value++)
        {
            foreach (var anchor in anchors[value])
            {
                var state = 0;
                foreach (var c in anchor)
                {
                    if (!children[state].TryGetValue(c, out var next))
                    {
                        next = children.Count;
                        children[state].Add(c, next);
                        children.Add([]);
                        outputs.Add([]);
                    }

                    state = next;
                }

                outputs[state].Add((value, anchor.Length));
            }
        }

        // Failure links breadth first, so a state's suffix is complete before the state takes over its outputs.
        _fail = new int[children.Count];
        var queue = new Queue<int>(children[0].Values);
        while (queue.TryDequeue(out var state))
        {
            foreach (var (c, child) in children[state])
            {
                var fallback = _fail[state];
                while (fallback != 0 && !children[fallback].ContainsKey(c))
                {
                    fallback = _fail[fallback];
                }

                _fail[child] = children[fallback].TryGetValue(c, out var target) && target != child ? target : 0;
                outputs[child].UnionWith(outputs[_fail[child]]);
                queue.Enqueue(child);
            }
        }

        _rootTable = new int[RootTableSize];
        _rootOther = [];
        foreach (var (c, child) in children[0])
        {
            if (c < RootTableSize)
            {
                _rootTable[c] = child;
            }
            else
            {
                _rootOther[c] = child;
            }
        }

        _childStart = new int[children.Count + 1];
        _childChars = new char[children.Count - 1];
        _childTargets = new int[children.Count - 1];
        var position = 0;
        for (var state = 0; state < children.Count; state++)
        {
            _childStart[state] = position;
            foreach (var (c, child) in children[state])
            {
                _childChars[position] = c;
                _childTargets[position++] = child;
            }
        }

        _childStart[children.Count] = position;
        _outputs = [.. outputs.Select(o => o.ToArray())];

        _classOf = new ushort[RootTableSize];
        var classChars = new List<char> { '\0' };
        foreach (var c in children.SelectMany(c => c.Keys).Where(c => c < RootTableSize).Distinct().Order())
        {
            _classOf[c] = (ushort)classChars.Count;
            classChars.Add(c);
        }

        _classCount = classChars.Count;
        _delta = new int[children.Count * _classCount];
        for (var state = 0; state < children.Count; state++)
        {
            for (var k = 1; k < _classCount; k++)
            {
                _delta[(state * _classCount) + k] = Next(state, classChars[k]);
            }
        }
    }

    /// <summary>The precomputed transitions' size in bytes (states × characters in the table).</summary>
    internal long TransitionTableBytes => (long)_delta.Length * sizeof(int);

    /// <summary>How many values there are: the length of <see cref="Find"/>'s answer.</summary>
    public int ValueCount { get; }

    /// <summary>Per value, where its anchors start in <paramref name="text"/> (ascending per anchor); null when none occurs.</summary>
    public List<int>?[] Find(string text)
    {
        var found = new List<int>?[ValueCount];
        var state = 0;
        for (var index = 0; index < text.Length; index++)
        {
            var c = text[index];
            state = c < RootTableSize ? _delta[(state * _classCount) + _classOf[c]] : Next(state, c);
            foreach (var (value, length) in _outputs[state])
            {
                (found[value] ??= []).Add(index + 1 - length);
            }
        }

        return found;
    }

    private int Next(int state, char c)
    {
        while (state != 0)
        {
            var start = _childStart[state];
            var index = _childChars.AsSpan(start, _childStart[state + 1] - start).BinarySearch(c);
            if (index >= 0)
            {
                return _childTargets[start + index];
            }

            state = _fail[state];
        }

        return c < RootTableSize ? _rootTable[c] : _rootOther.GetValueOrDefault(c);
    }
}
