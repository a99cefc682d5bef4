//! Goals, targets and progress: the Strategi för hälsa catalogue, progress toward
//! targets (SKR change from baseline, Eurostat SDG, UN progress chart), gap closure and
//! the follow-up of one municipality (comparisons, gaps).

pub mod catalogue;
pub mod follow_up;
pub mod gap;
pub mod model;
pub mod progress;

pub use crate::vocabulary::Level;
pub use catalogue::{Catalogue, MergeMode};
pub use gap::{GapClosure, GapOptions, gap_closure};
pub use model::{
    ChangeUnit, Confidence, Direction, Goal, GoalArea, Indicator, SexHandling, Target, TargetKind,
};
pub use progress::{Assessment, Category, ProgressNumbers, Term};
