//! Reading C/I/A (the security properties a risk is about, 6.1.2 c) from a
//! sheet, in the shapes registers keep it: one column of names or letters
//! (`Confidentiality; Availability` as `riskbench risks --format csv`
//! writes it, `C, A`, `CA`, `C/I/A`, German and French words), or one
//! yes/no column per property.

use crate::domain::Cia;

use super::values::{is_placeholder, one_line};

/// The properties a cell of the single C/I/A column names, in C, I, A
/// order and each once; empty for an empty cell or a placeholder (`-`,
/// `n/a`). Any word that is no property is an error: guessing would put a
/// wrong property into the register, so the person fixes the cell.
pub(crate) fn parse_cia(cell: &str) -> Result<Vec<Cia>, String> {
    let t = cell.trim();
    if t.is_empty() || is_placeholder(t) {
        return Ok(Vec::new());
    }
    let mut found = [false; 3];
    for word in t
        .split(|c: char| c.is_whitespace() || ",;/|&+·•:".contains(c))
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_lowercase();
        if ["and", "und", "et"].contains(&lower.as_str()) {
            continue;
        }
        match property(&lower)
            .map(|c| vec![c])
            .or_else(|| letters(&lower))
        {
            Some(cs) => cs.into_iter().for_each(|c| found[index(c)] = true),
            None => {
                return Err(format!(
                    "cia {:?}: {word:?} is no security property; write Confidentiality, Integrity, Availability or their letters (\"C, A\", \"CIA\"), German or French names, or leave the cell empty",
                    one_line(cell).0
                ));
            }
        }
    }
    Ok(Cia::ALL.into_iter().filter(|c| found[index(*c)]).collect())
}

/// Whether a cell of a one-property column (Confidentiality, Integrity or
/// Availability) says the risk is about it: `x`, `yes`, `1`, `true`, `✓`,
/// `ja`, `oui` on; empty, `no`, `0`, `false`, `-` off. Anything else (a
/// rating such as "High" or 3) is an error, never a guess.
/// `header` names the column in the hint to leave it out.
pub(crate) fn parse_flag(cell: &str, field: &str, header: &str) -> Result<bool, String> {
    let t = cell.trim().to_lowercase();
    const ON: [&str; 13] = [
        "x", "yes", "y", "1", "true", "✓", "✔", "☑", "ja", "j", "oui", "wahr", "vrai",
    ];
    const OFF: [&str; 16] = [
        "", "no", "n", "0", "false", "-", "–", "—", "nein", "non", "falsch", "faux", "n/a", "✗",
        "✘", "☐",
    ];
    if ON.contains(&t.as_str()) {
        Ok(true)
    } else if OFF.contains(&t.as_str()) {
        Ok(false)
    } else {
        Err(format!(
            "{field} {:?}: expected yes or no (x, yes, 1, true, ✓ / empty, no, 0, false, -); a column of ratings can be left out with --map \"{header}=ignore\"",
            one_line(cell).0
        ))
    }
}

fn index(c: Cia) -> usize {
    match c {
        Cia::Confidentiality => 0,
        Cia::Integrity => 1,
        Cia::Availability => 2,
    }
}

/// A property's full name, English, German or French (with or without
/// accents), in lower case.
fn property(word: &str) -> Option<Cia> {
    Some(match word {
        "confidentiality" | "vertraulichkeit" | "confidentialité" | "confidentialite" => {
            Cia::Confidentiality
        }
        "integrity" | "integrität" | "integritaet" | "integritat" | "intégrité" | "integrite" => {
            Cia::Integrity
        }
        "availability" | "verfügbarkeit" | "verfuegbarkeit" | "verfugbarkeit" | "disponibilité"
        | "disponibilite" => Cia::Availability,
        _ => return None,
    })
}

/// A run of letters, each a property once: `c`, `ca`, `cia`, and French
/// `dic` (D for disponibilité). `None` for any other word.
fn letters(word: &str) -> Option<Vec<Cia>> {
    let mut out = Vec::new();
    for ch in word.chars() {
        let c = match ch {
            'c' => Cia::Confidentiality,
            'i' => Cia::Integrity,
            'a' | 'd' => Cia::Availability,
            _ => return None,
        };
        if out.contains(&c) {
            return None;
        }
        out.push(c);
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use Cia::{Availability as A, Confidentiality as C, Integrity as I};

    #[test]
    fn shapes_of_one_column() {
        for (cell, want) in [
            ("Confidentiality; Availability", vec![C, A]),
            ("Availability; Confidentiality", vec![C, A]),
            ("C, A", vec![C, A]),
            ("CA", vec![C, A]),
            ("C·A", vec![C, A]),
            ("C/I/A", vec![C, I, A]),
            ("c i", vec![C, I]),
            ("INTEGRITY", vec![I]),
            ("Vertraulichkeit, Integrität, Verfügbarkeit", vec![C, I, A]),
            ("Confidentialité, Intégrité, Disponibilité", vec![C, I, A]),
            ("DIC", vec![C, I, A]),
            ("Confidentiality and Integrity", vec![C, I]),
            ("-", vec![]),
            ("—", vec![]),
            ("n/a", vec![]),
            ("  ", vec![]),
        ] {
            assert_eq!(parse_cia(cell).unwrap(), want, "{cell:?}");
        }
        for bad in ["High", "CC", "secret", "C, X", "3"] {
            assert!(parse_cia(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn flags() {
        for on in ["x", "X", "yes", "Y", "1", "TRUE", "✓", "ja", "Oui"] {
            assert!(parse_flag(on, "integrity", "I").unwrap(), "{on:?}");
        }
        for off in ["", "no", "N", "0", "FALSE", "-", "nein", "non"] {
            assert!(!parse_flag(off, "integrity", "I").unwrap(), "{off:?}");
        }
        let e = parse_flag("High", "integrity", "I").unwrap_err();
        assert!(e.starts_with("integrity \"High\""), "{e}");
        assert!(e.ends_with("--map \"I=ignore\""), "{e}");
    }
}
