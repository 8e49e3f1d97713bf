//! Resolving a recorded merge conflict: keep ours (the register already
//! holds it, so the entry goes) or take theirs (the entry's `theirs` text
//! is parsed into the field's own type and put in place, then the entry
//! goes). The workbench's Conflicts list does each as one undoable edit.
//!
//! Taking theirs for a whole entity (`field: "*"`) inserts it (at the end
//! of its list, when ours deleted it), replaces ours' entity of that id, or
//! deletes ours' entity when theirs is `""` (theirs deleted it).

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::entities::WHOLE;
use super::probe::{fields_of, from_fields};
use crate::domain::model::{Conflict, Register};

/// The register with conflict `index` resolved as ours: the entry removed.
pub fn take_ours(reg: &Register, index: usize) -> Option<Register> {
    (index < reg.conflicts.len()).then(|| {
        let mut out = reg.clone();
        out.conflicts.remove(index);
        out
    })
}

/// The register with conflict `index` resolved as theirs: their value put
/// in place, the entry removed. An error says why it cannot be (the
/// entity is gone, the text does not parse as the field's type); the
/// register is then unchanged.
pub fn take_theirs(reg: &Register, index: usize) -> Result<Register, String> {
    let c = reg
        .conflicts
        .get(index)
        .ok_or_else(|| "no such conflict".to_string())?
        .clone();
    let mut out = reg.clone();
    out.conflicts.remove(index);
    let fail = |e: String| {
        format!(
            "{} {} {}: theirs cannot be applied: {e}",
            c.entity, c.id, c.field
        )
    };
    match c.entity.as_str() {
        "register" => header(&mut out, &c).map_err(fail)?,
        "method" => {
            out.method = with_field(&out.method, &c).map_err(fail)?;
        }
        "own_control" => in_list(&mut out.own_controls, |x| x.id.to_string(), &c).map_err(fail)?,
        "factor" => in_list(&mut out.factors, |x| x.id.to_string(), &c).map_err(fail)?,
        "asset" => in_list(&mut out.assets, |x| x.id.to_string(), &c).map_err(fail)?,
        "threat" => in_list(&mut out.threats, |x| x.id.to_string(), &c).map_err(fail)?,
        "risk" => in_list(&mut out.risks, |x| x.id.to_string(), &c).map_err(fail)?,
        "control" => in_list(&mut out.controls, |x| x.id.to_string(), &c).map_err(fail)?,
        "decision" => in_list(&mut out.decisions, |x| x.control.to_string(), &c).map_err(fail)?,
        "action" => in_list(&mut out.actions, |x| x.id.to_string(), &c).map_err(fail)?,
        "baseline" => {
            in_list(&mut out.baselines, |x| x.version.to_string(), &c).map_err(fail)?;
            out.baselines.sort_by_key(|b| b.version);
        }
        other => return Err(format!("unknown kind of entity {other:?}: edit the file")),
    }
    Ok(out)
}

/// The register's name, scope or plan approval.
fn header(reg: &mut Register, c: &Conflict) -> Result<(), String> {
    let parse_err = |e: ron::error::SpannedError| e.to_string();
    match c.field.as_str() {
        "name" => reg.name = ron::from_str(&c.theirs).map_err(parse_err)?,
        "scope" => reg.scope = ron::from_str(&c.theirs).map_err(parse_err)?,
        "plan_approval" => reg.plan_approval = ron::from_str(&c.theirs).map_err(parse_err)?,
        other => return Err(format!("no header field {other:?}")),
    }
    Ok(())
}

/// `value` with the conflict's field set to theirs.
fn with_field<T: Serialize + DeserializeOwned>(value: &T, c: &Conflict) -> Result<T, String> {
    let mut fields = fields_of(value).ok_or("not a record")?;
    let f = fields
        .iter_mut()
        .find(|f| f.name == c.field)
        .ok_or_else(|| format!("no field {:?}", c.field))?;
    f.text = c.theirs.clone();
    from_fields(&fields)
}

/// Theirs applied to the entity of the conflict's id in `list`.
fn in_list<T: Serialize + DeserializeOwned>(
    list: &mut Vec<T>,
    id: impl Fn(&T) -> String,
    c: &Conflict,
) -> Result<(), String> {
    let at = list.iter().position(|x| id(x) == c.id);
    if c.field == WHOLE {
        match (at, c.theirs.is_empty()) {
            (Some(i), true) => {
                list.remove(i);
            }
            (None, true) => {}
            (at, false) => {
                let theirs: T = ron::from_str(&c.theirs).map_err(|e| e.to_string())?;
                if id(&theirs) != c.id {
                    return Err(format!("the recorded entity's id is not {:?}", c.id));
                }
                match at {
                    Some(i) => list[i] = theirs,
                    None => list.push(theirs),
                }
            }
        }
        return Ok(());
    }
    let i = at.ok_or_else(|| format!("{} is no longer in the register", c.id))?;
    list[i] = with_field(&list[i], c)?;
    Ok(())
}
